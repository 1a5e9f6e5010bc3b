package cli

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/eksguard/eksguard/internal/builtin"
	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/frontend"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/policy"
	"github.com/eksguard/eksguard/internal/scan"
)

// policyOptions are the loading options --rego-version and the bounds of
// evaluation give.
func (o *Options) policyOptions() (policy.Options, error) {
	v := strings.ToLower(o.RegoVersion)
	switch v {
	case "auto", "":
		v = ""
	case "v0", "v1":
	default:
		return policy.Options{}, usagef("--rego-version: want v1, v0 or auto, got %q", o.RegoVersion)
	}
	if o.PolicyTimeout <= 0 || o.PolicyMemory <= 0 || o.PolicyBudget <= 0 {
		return policy.Options{}, usagef("--policy-timeout, --policy-memory and --policy-budget must be positive")
	}
	ids := map[string]bool{}
	for _, r := range builtin.All() {
		ids[r.ID] = true
	}
	return policy.Options{RegoVersion: v, BuiltinIDs: ids,
		Limits: policy.Limits{Timeout: o.PolicyTimeout, Memory: int64(o.PolicyMemory) << 20, Budget: o.PolicyBudget}}, nil
}

// loadPolicies compiles the --policy directories; nil when none were asked
// for.
func (o *Options) loadPolicies() (*policy.Set, error) {
	if len(o.Policies) == 0 {
		return nil, nil
	}
	opts, err := o.policyOptions()
	if err != nil {
		return nil, err
	}
	return policy.Load(o.Policies, opts), nil
}

// policy test has flags of its own: it loads the policies of its DIRs,
// not --policy, and bounds each test by --timeout.
var _ = register(&command{
	name:    "policy test",
	args:    "DIR...",
	summary: "Run the test_ rules of custom Rego policies (as opa test) and check their annotated testdata fixtures.",
	examples: []string{
		"eksguard policy test examples/policies",
		"eksguard policy test -v --run unknown examples/policies",
	},
	exit: "0 all tests and testdata fixtures passed, 1 one failed, 2 neither tests nor fixtures or a policy that does not compile, 3 usage error.",
	flags: func(fs *pflag.FlagSet, o *Options) {
		addRegoVersionFlag(fs, o)
		fs.DurationVar(&o.PolicyTimeout, "timeout", 5*time.Second, "time bound of one test (a `duration`)")
		o.PolicyMemory, o.PolicyBudget = 1024, policy.DefaultBudget
		fs.StringVar(&o.TestRun, "run", "", "run only the tests whose name matches this regular `expression`")
		fs.BoolVarP(&o.TestVerbose, "verbose", "v", false, "print every test and its print() output, not only failures")
	},
	run: runPolicyTest,
})

func runPolicyTest(inv *invocation) int {
	env, dirs, o := inv.env, inv.args, inv.opts
	run, verbose := &o.TestRun, &o.TestVerbose
	if len(dirs) == 0 {
		inv.errf("no DIR given")
		return ExitUsage
	}
	opts, err := o.policyOptions()
	if err != nil {
		return inv.fail(err)
	}
	set := policy.Load(dirs, opts)
	broken := false
	for _, d := range set.Diags {
		fmt.Fprintln(env.Stderr, d.String())
		if d.Severity == diag.Error {
			broken = true
		}
	}
	if len(set.Modules()) == 0 {
		fmt.Fprintln(env.Stderr, "eksguard policy test: no policy compiled")
		return ExitInput
	}
	results, err := set.RunTests(context.Background(), *run)
	if err != nil {
		fmt.Fprintf(env.Stderr, "eksguard policy test: %v\n", err)
		return ExitUsage
	}
	fixtures, err := checkFixtures(set, dirs, *run == "")
	if err != nil {
		fmt.Fprintf(env.Stderr, "eksguard policy test: %v\n", err)
		return ExitInput
	}
	if len(results) == 0 && len(fixtures) == 0 {
		fmt.Fprintln(env.Stderr, "eksguard policy test: no test_ rules or testdata fixtures found")
		return ExitInput
	}
	counts := map[string]int{}
	for _, r := range results {
		counts[r.Status]++
		if r.Status == "pass" && !*verbose {
			continue
		}
		fmt.Fprintf(env.Stdout, "%-5s %s (%s:%d, %s)\n", strings.ToUpper(r.Status), r.Name, r.File, r.Line, r.Duration.Round(time.Microsecond))
		if r.Detail != "" {
			fmt.Fprintf(env.Stdout, "      %s\n", r.Detail)
		}
		if r.Output != "" && (r.Status != "pass" || *verbose) {
			for _, ln := range strings.Split(strings.TrimRight(r.Output, "\n"), "\n") {
				fmt.Fprintf(env.Stdout, "      | %s\n", ln)
			}
		}
	}
	fixtureFails, expectations := 0, 0
	for _, f := range fixtures {
		expectations += f.Checked
		if len(f.Problems) == 0 {
			if *verbose {
				fmt.Fprintf(env.Stdout, "PASS  fixtures %s (%d annotations)\n", f.Dir, f.Checked)
			}
			continue
		}
		fixtureFails++
		fmt.Fprintf(env.Stdout, "FAIL  fixtures %s\n", f.Dir)
		for _, p := range f.Problems {
			fmt.Fprintf(env.Stdout, "      %s\n", p)
		}
	}
	if len(results) > 0 {
		fmt.Fprintf(env.Stdout, "PASS: %d/%d", counts["pass"], len(results))
		for _, s := range []string{"fail", "error", "skip"} {
			if counts[s] > 0 {
				fmt.Fprintf(env.Stdout, "  %s: %d", strings.ToUpper(s), counts[s])
			}
		}
		fmt.Fprintln(env.Stdout)
	}
	if len(fixtures) > 0 {
		fmt.Fprintf(env.Stdout, "FIXTURES: %d/%d directories as annotated (%d annotations)\n", len(fixtures)-fixtureFails, len(fixtures), expectations)
	}
	switch {
	case counts["fail"] > 0 || counts["error"] > 0 || fixtureFails > 0:
		return ExitGate
	case broken:
		return ExitInput
	}
	return ExitOK
}

// checkFixtures checks every testdata directory under the policy
// directories against the policies (skipped when --run picks tests).
func checkFixtures(set *policy.Set, dirs []string, enabled bool) ([]policy.FixtureResult, error) {
	if !enabled {
		return nil, nil
	}
	var found []string
	for _, root := range dirs {
		info, err := os.Stat(root)
		if err != nil || !info.IsDir() {
			continue
		}
		err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == "testdata" {
				found = append(found, filepath.ToSlash(p))
				return fs.SkipDir
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	load := func(paths []string, docs bool) (*graph.Graph, []policy.Document, diag.List) {
		// A fixture may be a chart: rendered isolated, with the default
		// bounds, as every chart the command line reads.
		res := frontend.Load(paths, frontend.Options{KeepDocuments: docs, Helm: frontend.HelmOptions{Isolate: true}})
		return res.Graph, scan.PolicyDocuments(res.Documents), res.Diags
	}
	var out []policy.FixtureResult
	for _, dir := range found {
		r, err := set.CheckFixtures(context.Background(), dir, load)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}
