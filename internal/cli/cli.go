// Package cli implements the eksguard command line. Main takes its
// arguments and streams explicitly so tests can run it in-process.
package cli

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/spf13/pflag"

	"github.com/eksguard/eksguard/internal/builtin"
	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/frontend"
	"github.com/eksguard/eksguard/internal/gate"
	"github.com/eksguard/eksguard/internal/iam"
	"github.com/eksguard/eksguard/internal/render"
	"github.com/eksguard/eksguard/internal/report"
	"github.com/eksguard/eksguard/internal/rule"
	"github.com/eksguard/eksguard/internal/ruledoc"
	"github.com/eksguard/eksguard/internal/scan"
	"github.com/eksguard/eksguard/internal/secret"
)

// Exit statuses. Each says one thing, so CI can tell "the code has
// issues" from "the scan could not read everything" from "the command was
// wrong": 0 the gate passed; 1 it failed; 2 an input could not be read
// (the rest was still scanned, reported and gated; a failed gate's 1
// wins); 3 a usage or configuration error, or a report that could not be
// written (after the others were written).
const (
	ExitOK    = 0
	ExitGate  = 1
	ExitInput = 2
	ExitUsage = 3
)

// Env is the process environment Main runs in.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// IsTTY reports whether Stdout is a terminal (for colour).
	IsTTY bool
	// StderrTTY reports whether Stderr is a terminal (for progress).
	StderrTTY bool
	// Getenv reads environment variables (NO_COLOR).
	Getenv func(string) string
}

const usage = `eksguard checks the code of an AWS EKS platform against hardening practice.

Usage:
  eksguard scan [flags] PATH...   scan files and directories ("-" reads stdin)
  eksguard rules [ID]             list the built-in rules (and --policy DIR ones), or explain one
  eksguard graph PATH...          print the resource graph as JSON (what rules and policies read)
  eksguard baseline create [flags] PATH...   record today's findings (--output FILE) so --baseline gates only new ones
  eksguard iam paths [flags] PATH...  print IAM privilege-escalation paths (text, json, mermaid)
  eksguard iam methods            list the escalation methods and the pathfinding.cloud paths they cover
  eksguard policy test [flags] DIR...  run the test_ rules of custom Rego policies (--policy DIR)
  eksguard flags                  list every flag, its environment variable and configuration key
  eksguard version                print the version (--format json: commit, Go, IAM catalogue date)

Run 'eksguard COMMAND --help' for a command's flags and examples.
`

// commands are the subcommands by the words that invoke them.
var commands = map[string]*command{}

func register(c *command) *command {
	commands[c.name] = c
	return c
}

// Main runs the command and returns the exit status.
func Main(args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, usage)
		return ExitUsage
	}
	switch args[0] {
	case "help", "-h", "--help":
		fmt.Fprint(env.Stdout, usage)
		return ExitOK
	case "--version":
		args = []string{"version"}
	}
	// Two-word commands (baseline create, iam paths) first.
	if len(args) > 1 {
		if c := commands[args[0]+" "+args[1]]; c != nil {
			return c.execute(args[2:], env)
		}
	}
	if c := commands[args[0]]; c != nil {
		return c.execute(args[1:], env)
	}
	if group := subcommands(args[0]); len(group) > 0 {
		// "eksguard iam" alone, or with a word that is not one of its
		// commands: list them.
		w, status := env.Stderr, ExitUsage
		if len(args) > 1 && (args[1] == "-h" || args[1] == "--help" || args[1] == "help") {
			w, status = env.Stdout, ExitOK
		} else if len(args) > 1 {
			fmt.Fprintf(w, "eksguard %s: unknown command %q\n\n", args[0], args[1])
		}
		fmt.Fprintf(w, "Usage:\n")
		for _, c := range group {
			fmt.Fprintf(w, "  %s\n      %s\n", c.synopsis(), firstSentence(c.summary))
		}
		fmt.Fprintf(w, "\nRun 'eksguard %s --help' for its flags and examples.\n", group[0].name)
		return status
	}
	fmt.Fprintf(env.Stderr, "eksguard: unknown command %q\n\n%s", args[0], usage)
	return ExitUsage
}

// subcommands are the commands whose first word is word, by name.
func subcommands(word string) []*command {
	var out []*command
	for name, c := range commands {
		if strings.HasPrefix(name, word+" ") {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}

type output struct {
	format string
	path   string // "" for stdout
}

// outputs parses --format values (FORMAT or FORMAT=FILE); known tells a
// format name the command writes.
func outputs(formats []string, known func(string) error) ([]output, error) {
	if len(formats) == 0 {
		formats = []string{"text"}
	}
	var outs []output
	for _, f := range formats {
		name, file, _ := strings.Cut(f, "=")
		if err := known(name); err != nil {
			return nil, usagef("--format: %v", err)
		}
		outs = append(outs, output{format: strings.ToLower(name), path: file})
	}
	return outs, nil
}

var _ = register(&command{
	name:    "scan",
	args:    "PATH...",
	summary: "Scan files and directories (\"-\" reads stdin) and gate on the findings. The full report is always written; the gate only decides the exit status.",
	examples: []string{
		"eksguard scan infra/                                  # Terraform HCL: each root module under infra/",
		"eksguard scan infra/ --var-file prod.tfvars --var env=prod",
		"eksguard scan tfplan.json -f sarif=eksguard.sarif -f text",
		"helm template shop ./chart | eksguard scan --k8s-namespace shop -",
		"eksguard scan . --baseline .eksguard-baseline.json --fail-on medium",
	},
	exit: "0 gate passed; 1 gate failed (whatever else went wrong); 2 an input could not be read (the rest was still scanned, " +
		"reported and gated), nothing to scan (no input of a kind eksguard reads), or (with --fail-on-incomplete) a module call not read; " +
		"3 usage or configuration error, or a report that could not be written (after the others were written).",
	flags: func(fs *pflag.FlagSet, o *Options) {
		addGateFlags(fs, o)
		addInputFlags(fs, o)
		addRuleFlags(fs, o)
		addPolicyFlags(fs, o)
		addConfigFlag(fs, o)
		fs.BoolVar(&o.ChangedFiles, "changed-files", false, "the PATHs are the files a change touched (as pre-commit or git diff --name-only give them): "+
			"each is read as a directory walk reads what it meets (--skip-dirs and --skip-files apply; a file of no kind eksguard reads, or a deleted one, is a notice; "+
			"a .tf file stands for its directory, and a module's is read only through a root module that calls it), and finding no input passes")
	},
	run: runScan,
})

// findingRun is what scan and baseline create share: the scan options
// every finding-shaping flag gives.
func (inv *invocation) scanOptions(policyPrint io.Writer) (scan.Options, error) {
	o := inv.opts
	cfg, err := o.ruleConfig()
	if err != nil {
		return scan.Options{}, err
	}
	in, err := o.inputs()
	if err != nil {
		return scan.Options{}, err
	}
	policies, err := o.loadPolicies()
	if err != nil {
		return scan.Options{}, err
	}
	sel, err := inv.selection()
	if err != nil {
		return scan.Options{}, err
	}
	all := builtin.All()
	if policies != nil {
		for _, p := range policies.Policies {
			all = append(all, p.Rule)
		}
	}
	disabled, err := scan.Select(all, sel)
	if err != nil {
		return scan.Options{}, usageError{err.Error()}
	}
	env := inv.env
	// Checked before the scan, which takes the front-end options only
	// through the callback below.
	if err := o.applyWalk(&frontend.Options{}); err != nil {
		return scan.Options{}, err
	}
	helm, err := o.helmOptions()
	if err != nil {
		return scan.Options{}, err
	}
	return scan.Options{Paths: inv.args, Stdin: env.Stdin, Config: cfg, Version: version(),
		Vars: in.vars, VarFiles: o.VarFiles, TfDir: o.TfDir, CfnParams: in.params, DefaultNamespace: o.K8sNamespace,
		AccountID: o.AccountID, ConfigFile: o.Config, Policies: policies, PolicyPrint: policyPrint, Disabled: disabled,
		Terraform: func(fo *frontend.Options) {
			o.tf.apply(fo, "", env.Getenv)
			_ = o.applyWalk(fo)
			fo.Helm = helm
		}}, nil
}

func runScan(inv *invocation) int {
	o, env := inv.opts, inv.env
	if len(inv.args) == 0 {
		inv.errf("no PATH given (use . for the current directory, - for stdin)")
		return ExitUsage
	}
	sev, err := rule.ParseSeverity(o.FailOn)
	if err != nil {
		return inv.fail(usagef("--fail-on: %v", err))
	}
	outs, err := outputs(o.Formats, func(name string) error { _, err := render.Get(name); return err })
	if err != nil {
		return inv.fail(err)
	}
	show, err := o.shown()
	if err != nil {
		return inv.fail(err)
	}
	so, err := inv.scanOptions(env.Stderr)
	if err != nil {
		return inv.fail(err)
	}
	so.Policy = gate.Policy{FailOn: sev}
	so.BaselineFile = o.Baseline
	if o.Quiet {
		// --quiet: no progress line either.
		env.StderrTTY = false
	}
	prog := startProgress(env)
	so.Stage = prog.set
	rep := scan.Run(so)
	// Erased before the report is printed, so the two never interleave on
	// one terminal.
	prog.stop()

	color := env.IsTTY && !o.NoColor && env.Getenv("NO_COLOR") == ""
	// Every report is attempted: one that cannot be written (a directory
	// that does not exist, a full disk) must not cost CI the others.
	unwritten := 0
	for _, out := range outs {
		opts := render.Options{Color: color && out.path == "", Quiet: o.Quiet, Show: show}
		if err := writeReport(out, env.Stdout, rep, opts); err != nil {
			inv.errf("%v", err)
			unwritten++
		}
	}
	code := scan.ExitCode(rep, o.FailOnIncomplete)
	if g := rep.Gate.NotEvaluated; g != "" && !textOnStdout(outs) {
		inv.errf("gate not evaluated: %s; exit status 2", g)
		for _, e := range rep.Errors {
			fmt.Fprintln(env.Stderr, e.String())
		}
	}
	// The reports may all have gone to files; say on stderr why the status
	// is 2 when nothing else does.
	if n := len(rep.Summary.Incomplete); o.FailOnIncomplete && n > 0 && code == ExitInput && !scan.InputFailed(rep) {
		inv.errf("--fail-on-incomplete: %d module %s not read; exit status 2", n, plural(n, "call", "calls"))
	}
	if unwritten > 0 {
		// A missing report is a broken pipeline whatever the gate said:
		// CI would otherwise read a stale file or none as this run's.
		inv.errf("%d %s not written; exit status 3", unwritten, plural(unwritten, "report", "reports"))
		return ExitUsage
	}
	return code
}

// writeReport writes one report to its file, or to stdout. The writers
// stream, so the report goes to the file as it is rendered, never held in
// memory whole; a file is written whole or not at all: one a writer fails
// midway (a full disk) is removed, so CI cannot read a partial report as
// this run's.
func writeReport(out output, stdout io.Writer, rep *report.Report, opts render.Options) error {
	w, err := render.Get(out.format)
	if err != nil {
		return err
	}
	if out.path == "" {
		if err := w(stdout, rep, opts); err != nil {
			return fmt.Errorf("writing the %s report to stdout: %w", out.format, err)
		}
		return nil
	}
	f, err := os.OpenFile(out.path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("writing the %s report: %w", out.format, err)
	}
	err = w(f, rep, opts)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		// Only a regular file is removed: a report sent to a pipe or a
		// device (json=/dev/stdout) is not ours to delete.
		if fi, serr := os.Stat(out.path); serr == nil && fi.Mode().IsRegular() {
			_ = os.Remove(out.path)
		}
		return fmt.Errorf("writing the %s report: %w", out.format, err)
	}
	return nil
}

// textOnStdout tells whether the text report, which explains itself,
// reaches the terminal.
func textOnStdout(outs []output) bool {
	for _, o := range outs {
		if o.format == "text" && o.path == "" {
			return true
		}
	}
	return false
}

var _ = register(&command{
	name:    "graph",
	args:    "PATH...",
	summary: "Print the resource graph as JSON: what rules and policies read (docs/graph-schema.md).",
	examples: []string{
		"eksguard graph tfplan.json",
		"eksguard graph infra/ --var-file prod.tfvars | jq '.resources[].address'",
	},
	exit: "0 the graph was written; 2 an input could not be read (the graph of the rest is still written); 3 usage or configuration error, or the graph could not be written.",
	flags: func(fs *pflag.FlagSet, o *Options) {
		addInputFlags(fs, o)
		addConfigFlag(fs, o)
	},
	run: runGraph,
})

func runGraph(inv *invocation) int {
	env := inv.env
	if len(inv.args) == 0 {
		inv.errf("no PATH given")
		return ExitUsage
	}
	fo, err := inv.opts.frontendOptions(env)
	if err != nil {
		return inv.fail(err)
	}
	loaded := frontend.Load(inv.args, fo)
	if acct := fo.AccountID; acct != "" {
		iam.SetAccount(loaded.Graph, acct)
	}
	status := ExitOK
	for _, d := range loaded.Diags {
		if d.Severity != diag.Notice {
			fmt.Fprintln(env.Stderr, d.String())
			if d.Severity == diag.Error {
				status = ExitInput
			}
		}
	}
	// The graph's JSON form masks secret values itself; the redactor also
	// catches a secret repeated where nothing marked it (a resource name).
	out := loaded.Redactor.Writer(env.Stdout)
	if err := loaded.Graph.WriteJSON(out); err != nil {
		inv.errf("%v", err)
		return ExitUsage
	}
	if err := secret.Flush(out); err != nil {
		inv.errf("%v", err)
		return ExitUsage
	}
	return status
}

var _ = register(&command{
	name:    "rules",
	args:    "[ID...]",
	summary: "List the built-in rules (and those of --policy DIR), or explain the rules named: why each matters, how to fix it, a corrected snippet.",
	examples: []string{
		"eksguard rules",
		"eksguard rules EKS-002",
		"eksguard rules --policy examples/policies",
	},
	exit: "0 listed; 3 usage error, or a rule named does not exist.",
	flags: func(fs *pflag.FlagSet, o *Options) {
		fs.StringVarP(&o.Format, "format", "f", "text", "`format` of the listing: text or markdown (the docs/rules.md source)")
		addPolicyFlags(fs, o)
		addConfigFlag(fs, o)
	},
	run: runRules,
})

func runRules(inv *invocation) int {
	env, ids := inv.env, inv.args
	format := strings.ToLower(inv.opts.Format)
	rules := builtin.All()
	policies, err := inv.opts.loadPolicies()
	if err != nil {
		return inv.fail(err)
	}
	if policies != nil {
		for _, d := range policies.Diags {
			fmt.Fprintln(env.Stderr, d.String())
		}
		for _, p := range policies.Policies {
			rules = append(rules, p.Rule)
		}
	}
	byID := func(id string) *rule.Rule {
		for _, r := range rules {
			if strings.EqualFold(r.ID, id) {
				return r
			}
		}
		return nil
	}
	switch format {
	case "markdown", "md":
		ruledoc.Markdown(env.Stdout, rules)
		return ExitOK
	case "text":
	default:
		return inv.fail(usagef("--format: want text or markdown, got %q", format))
	}
	if len(ids) > 0 {
		status := ExitOK
		for i, id := range ids {
			r := byID(id)
			if r == nil {
				inv.errf("no rule %q (run 'eksguard rules' for the list)", id)
				status = ExitUsage
				continue
			}
			if i > 0 {
				fmt.Fprintln(env.Stdout)
			}
			ruledoc.Text(env.Stdout, r)
		}
		return status
	}
	fmt.Fprintf(env.Stdout, "%-9s %-9s %-11s %s\n", "ID", "SEVERITY", "SERVICE", "TITLE")
	for _, r := range rules {
		fmt.Fprintf(env.Stdout, "%-9s %-9s %-11s %s\n", r.ID, r.Severity, r.Service, r.Title)
	}
	fmt.Fprintf(env.Stdout, "\n%d rules. 'eksguard rules ID' explains one.\n", len(rules))
	return ExitOK
}
