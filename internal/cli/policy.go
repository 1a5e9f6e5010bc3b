package cli

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/eksguard/eksguard/internal/builtin"
	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/frontend"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/policy"
	"github.com/eksguard/eksguard/internal/scan"
)

// policyFlags are the flags that load custom Rego policies, shared by the
// commands that scan.
type policyFlags struct {
	dirs        listFlag
	regoVersion *string
	timeout     *time.Duration
	memoryMiB   *int
	budget      *int
}

func addPolicyFlags(fs *flag.FlagSet) *policyFlags {
	pf := &policyFlags{}
	fs.Var(&pf.dirs, "policy", "`DIR` (or .rego file) of custom Rego policies; repeatable")
	pf.regoVersion = fs.String("rego-version", "auto", "Rego `version` of the policies: v1, v0, or auto (v1, and v0 for files that are not valid v1)")
	pf.timeout = fs.Duration("policy-timeout", 5*time.Second, "time bound (a `duration`) of one policy evaluation: one policy on one input")
	pf.memoryMiB = fs.Int("policy-memory", 1024, "heap growth (`MiB`) evaluations may cause before the one responsible is stopped")
	pf.budget = fs.Int("policy-budget", policy.DefaultBudget, "evaluations of one policy that may exceed --policy-timeout in a run (a `count`) before the policy is stopped for the rest of it")
	return pf
}

func (pf *policyFlags) options() (policy.Options, error) {
	v := strings.ToLower(*pf.regoVersion)
	switch v {
	case "auto", "":
		v = ""
	case "v0", "v1":
	default:
		return policy.Options{}, fmt.Errorf("--rego-version: want v1, v0 or auto, got %q", *pf.regoVersion)
	}
	if *pf.timeout <= 0 || *pf.memoryMiB <= 0 || *pf.budget <= 0 {
		return policy.Options{}, fmt.Errorf("--policy-timeout, --policy-memory and --policy-budget must be positive")
	}
	ids := map[string]bool{}
	for _, r := range builtin.All() {
		ids[r.ID] = true
	}
	return policy.Options{RegoVersion: v, BuiltinIDs: ids,
		Limits: policy.Limits{Timeout: *pf.timeout, Memory: int64(*pf.memoryMiB) << 20, Budget: *pf.budget}}, nil
}

// load compiles the policies; nil when none were asked for.
func (pf *policyFlags) load() (*policy.Set, error) {
	if len(pf.dirs) == 0 {
		return nil, nil
	}
	opts, err := pf.options()
	if err != nil {
		return nil, err
	}
	return policy.Load(pf.dirs, opts), nil
}

const policyUsage = `Usage:
  eksguard policy test [flags] DIR...   run the test_ rules of custom Rego policies (as opa test) and check their annotated testdata fixtures

Run 'eksguard policy test -h' for the flags.
`

func runPolicy(args []string, env Env) int {
	if len(args) == 0 || args[0] != "test" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			fmt.Fprint(env.Stdout, policyUsage)
			return ExitOK
		}
		fmt.Fprint(env.Stderr, policyUsage)
		return ExitUsage
	}
	fs := flag.NewFlagSet("policy test", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	pf := &policyFlags{}
	pf.regoVersion = fs.String("rego-version", "auto", "Rego `version` of the policies: v1, v0, or auto")
	pf.timeout = fs.Duration("timeout", 5*time.Second, "time bound of one test")
	mem, budget := 1024, policy.DefaultBudget
	pf.memoryMiB, pf.budget = &mem, &budget
	run := fs.String("run", "", "run only the tests whose name matches this regular `expression`")
	verbose := fs.Bool("v", false, "print every test and its print() output, not only failures")
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: eksguard policy test [flags] DIR...\n\nFlags:\n")
		fs.PrintDefaults()
		fmt.Fprintf(env.Stderr, "\nExit status: 0 all tests and testdata fixtures passed, 1 one failed, 2 neither tests nor fixtures, a policy that does not compile, or a usage error.\n")
	}
	dirs, status, ok := parseArgs(fs, args[1:])
	if !ok {
		return status
	}
	if len(dirs) == 0 {
		fmt.Fprintln(env.Stderr, "eksguard policy test: no DIR given")
		return ExitUsage
	}
	opts, err := pf.options()
	if err != nil {
		fmt.Fprintf(env.Stderr, "eksguard policy test: %v\n", err)
		return ExitUsage
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
		return ExitUsage
	}
	results, err := set.RunTests(context.Background(), *run)
	if err != nil {
		fmt.Fprintf(env.Stderr, "eksguard policy test: %v\n", err)
		return ExitUsage
	}
	fixtures, err := checkFixtures(set, dirs, *run == "")
	if err != nil {
		fmt.Fprintf(env.Stderr, "eksguard policy test: %v\n", err)
		return ExitUsage
	}
	if len(results) == 0 && len(fixtures) == 0 {
		fmt.Fprintln(env.Stderr, "eksguard policy test: no test_ rules or testdata fixtures found")
		return ExitUsage
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
		return ExitUsage
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
		res := frontend.Load(paths, frontend.Options{KeepDocuments: docs})
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
