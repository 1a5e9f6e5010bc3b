// Package cli implements the eksguard command line. Main takes its
// arguments and streams explicitly so tests can run it in-process.
package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/eksguard/eksguard/internal/builtin"
	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/frontend"
	"github.com/eksguard/eksguard/internal/gate"
	"github.com/eksguard/eksguard/internal/report"
	"github.com/eksguard/eksguard/internal/rule"
	"github.com/eksguard/eksguard/internal/ruledoc"
	"github.com/eksguard/eksguard/internal/scan"
	"github.com/eksguard/eksguard/internal/secret"
)

// Version is set at build time with -ldflags "-X .../cli.Version=v1.2.3";
// otherwise the module version from the build info is used.
var Version = ""

// Exit statuses.
const (
	ExitOK    = 0
	ExitGate  = 1
	ExitUsage = 2
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
  eksguard version                print the version

Run 'eksguard scan -h' for the scan flags.
`

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
	case "scan":
		return runScan(args[1:], env)
	case "rules":
		return runRules(args[1:], env)
	case "baseline":
		return runBaseline(args[1:], env)
	case "graph":
		return runGraph(args[1:], env)
	case "iam":
		return runIAM(args[1:], env)
	case "policy":
		return runPolicy(args[1:], env)
	case "version", "--version":
		fmt.Fprintf(env.Stdout, "eksguard %s\n", version())
		return ExitOK
	case "help", "-h", "--help":
		fmt.Fprint(env.Stdout, usage)
		return ExitOK
	}
	fmt.Fprintf(env.Stderr, "eksguard: unknown command %q\n\n%s", args[0], usage)
	return ExitUsage
}

func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// listFlag collects a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

// parseInterspersed lets flags follow positional arguments, as users of
// other scanners expect (eksguard scan . --format json).
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// parseArgs parses flags and positional arguments; when ok is false the
// command ends with status (0 after -h, 2 after a bad flag).
func parseArgs(fs *flag.FlagSet, args []string) (pos []string, status int, ok bool) {
	pos, err := parseInterspersed(fs, args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return nil, ExitOK, false
	case err != nil:
		return nil, ExitUsage, false
	}
	return pos, ExitOK, true
}

type output struct {
	format string
	path   string // "" for stdout
}

func runScan(args []string, env Env) int {
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var formats, admins listFlag
	fs.Var(&formats, "format", "output `format`: "+strings.Join(report.Formats(), ", ")+"; FORMAT=FILE writes to a file; repeatable (default text)")
	fs.Var(&formats, "f", "shorthand for --format")
	failOn := fs.String("fail-on", "high", "lowest `severity` that fails the gate: critical, high, medium, low or none")
	noColor := fs.Bool("no-color", false, "disable colour in text output")
	asOf := fs.String("as-of", "", "judge date-based rules (support calendars) at this `date` (YYYY-MM-DD) instead of today")
	var tfVars, tfVarFiles listFlag
	fs.Var(&tfVars, "var", "Terraform root variable `NAME=VALUE`; repeatable (highest precedence)")
	fs.Var(&tfVarFiles, "var-file", "Terraform variables `FILE` (.tfvars); repeatable")
	var cfnParams listFlag
	fs.Var(&cfnParams, "cfn-param", "CloudFormation parameter or pseudo parameter `NAME=VALUE` (AWS::AccountId=...); repeatable (overrides Default)")
	tfDir := fs.String("tf-dir", "", "Terraform configuration `DIR` of the plan files scanned, to report .tf lines (default: .tf files beside the plan)")
	fs.Var(&admins, "admin-principal", "IAM principal `ARN` (glob) or role name allowed cluster-admin through EKS access entries; repeatable")
	var registries listFlag
	fs.Var(&registries, "allowed-registry", "image registry `GLOB` workloads may pull from (host or host/path, * matches anything); repeatable (default: Amazon ECR private registries)")
	aliasPattern := fs.String("alias-pattern", "", "Go regular `expression` AWS account aliases must match as a whole; a named group env gives the environment words CLI profile names must carry (default <org>-<env>-<purpose>, env one of dev|test|stage|staging|prod|production)")
	k8sNamespace := fs.String("k8s-namespace", "default", "`namespace` of Kubernetes objects that name none (as kubectl apply -n)")
	var jewels listFlag
	fs.Var(&jewels, "crown-jewel", "IAM principal `ARN` (glob) treated as administrator by the escalation rules (IAM-030, CI-003); repeatable")
	configFile := fs.String("config", "", "`FILE` with suppressions (default .eksguard.yaml in the current directory, when present)")
	baselineFile := fs.String("baseline", "", "baseline `FILE` (eksguard baseline create): its findings are reported apart and not gated")
	accountID := fs.String("account-id", "", "AWS account `ID` the code is deployed to, so IAM principals' ARNs are known (default: AWS::AccountId from --cfn-param)")
	tfe := addTFEvalFlags(fs)
	failOnIncomplete := fs.Bool("fail-on-incomplete", false, "exit 2 when a module call could not be read (e.g. not downloaded), after writing every report")
	pf := addPolicyFlags(fs)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: eksguard scan [flags] PATH...\n\nFlags:\n")
		fs.PrintDefaults()
		fmt.Fprintf(env.Stderr, "\nExit status: 0 gate passed, 1 gate failed, 2 usage error, unreadable input, nothing to scan (no input of a kind eksguard reads), or (with --fail-on-incomplete) a module call not read.\n")
	}
	paths, status, ok := parseArgs(fs, args)
	if !ok {
		return status
	}
	if len(paths) == 0 {
		fmt.Fprintln(env.Stderr, "eksguard scan: no PATH given (use . for the current directory, - for stdin)")
		return ExitUsage
	}
	sev, err := rule.ParseSeverity(*failOn)
	if err != nil {
		fmt.Fprintf(env.Stderr, "eksguard scan: --fail-on: %v\n", err)
		return ExitUsage
	}
	cfg := rule.Config{AdminPrincipals: admins, AllowedRegistries: registries, CrownJewels: jewels, AliasPattern: *aliasPattern}
	if _, err := cfg.AliasRegexp(); err != nil {
		fmt.Fprintf(env.Stderr, "eksguard scan: --alias-pattern: %v\n", err)
		return ExitUsage
	}
	if *asOf != "" {
		t, err := time.Parse("2006-01-02", *asOf)
		if err != nil {
			fmt.Fprintf(env.Stderr, "eksguard scan: --as-of: want YYYY-MM-DD, got %q\n", *asOf)
			return ExitUsage
		}
		cfg.AsOf = t
	}
	if len(formats) == 0 {
		formats = listFlag{"text"}
	}
	var outs []output
	for _, f := range formats {
		name, file, _ := strings.Cut(f, "=")
		if _, err := report.Get(name); err != nil {
			fmt.Fprintf(env.Stderr, "eksguard scan: --format: %v\n", err)
			return ExitUsage
		}
		outs = append(outs, output{format: strings.ToLower(name), path: file})
	}

	vars := map[string]string{}
	for _, kv := range tfVars {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			fmt.Fprintf(env.Stderr, "eksguard scan: --var: want NAME=VALUE, got %q\n", kv)
			return ExitUsage
		}
		vars[k] = v
	}
	params := map[string]string{}
	for _, kv := range cfnParams {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			fmt.Fprintf(env.Stderr, "eksguard scan: --cfn-param: want NAME=VALUE, got %q\n", kv)
			return ExitUsage
		}
		params[k] = v
	}
	policies, err := pf.load()
	if err != nil {
		fmt.Fprintf(env.Stderr, "eksguard scan: %v\n", err)
		return ExitUsage
	}
	prog := startProgress(env)
	rep := scan.Run(scan.Options{Stage: prog.set, Paths: paths, Stdin: env.Stdin, Policy: gate.Policy{FailOn: sev}, Config: cfg, Version: version(),
		Vars: vars, VarFiles: tfVarFiles, TfDir: *tfDir, CfnParams: params, DefaultNamespace: *k8sNamespace, AccountID: *accountID,
		ConfigFile: defaultConfig(*configFile), BaselineFile: *baselineFile, Policies: policies, PolicyPrint: env.Stderr,
		Terraform: func(o *frontend.Options) { tfe.apply(o, "", env.Getenv) }})
	// Erased before the report is printed, so the two never interleave on
	// one terminal.
	prog.stop()

	color := env.IsTTY && !*noColor && env.Getenv("NO_COLOR") == ""
	for _, o := range outs {
		w, _ := report.Get(o.format)
		if o.path == "" {
			if err := w(env.Stdout, rep, report.Options{Color: color}); err != nil {
				fmt.Fprintf(env.Stderr, "eksguard scan: writing %s: %v\n", o.format, err)
				return ExitUsage
			}
			continue
		}
		var buf bytes.Buffer
		if err := w(&buf, rep, report.Options{}); err == nil {
			err = os.WriteFile(o.path, buf.Bytes(), 0o644)
			if err != nil {
				fmt.Fprintf(env.Stderr, "eksguard scan: writing %s: %v\n", o.path, err)
				return ExitUsage
			}
		}
	}
	code := scan.ExitCode(rep, *failOnIncomplete)
	if g := rep.Gate.NotEvaluated; g != "" && !textOnStdout(outs) {
		fmt.Fprintf(env.Stderr, "eksguard scan: gate not evaluated: %s; exit status 2\n", g)
		for _, e := range rep.Errors {
			fmt.Fprintln(env.Stderr, e.String())
		}
	}
	// The reports may all have gone to files; say on stderr why the status
	// is 2 when nothing else does.
	if n := len(rep.Summary.Incomplete); *failOnIncomplete && n > 0 && scan.ExitCode(rep, false) != ExitUsage {
		fmt.Fprintf(env.Stderr, "eksguard scan: --fail-on-incomplete: %d module %s not read; exit status 2\n", n, plural(n, "call", "calls"))
	}
	return code
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

func runGraph(args []string, env Env) int {
	fs := flag.NewFlagSet("graph", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	followOutside := fs.Bool("follow-outside", false, followOutsideUsage)
	paths, status, ok := parseArgs(fs, args)
	if !ok {
		return status
	}
	if len(paths) == 0 {
		fmt.Fprintln(env.Stderr, "eksguard graph: no PATH given")
		return ExitUsage
	}
	loaded := frontend.Load(paths, frontend.Options{Stdin: env.Stdin, FollowOutside: *followOutside})
	status = ExitOK
	for _, d := range loaded.Diags {
		if d.Severity != diag.Notice {
			fmt.Fprintln(env.Stderr, d.String())
			if d.Severity == diag.Error {
				status = ExitUsage
			}
		}
	}
	// The graph's JSON form masks secret values itself; the redactor also
	// catches a secret repeated where nothing marked it (a resource name).
	out := loaded.Redactor.Writer(env.Stdout)
	if err := loaded.Graph.WriteJSON(out); err != nil {
		fmt.Fprintf(env.Stderr, "eksguard graph: %v\n", err)
		return ExitUsage
	}
	if err := secret.Flush(out); err != nil {
		fmt.Fprintf(env.Stderr, "eksguard graph: %v\n", err)
		return ExitUsage
	}
	return status
}

func runRules(args []string, env Env) int {
	fs := flag.NewFlagSet("rules", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	format := fs.String("format", "text", "`format` of the listing: text or markdown (the docs/rules.md source)")
	pf := addPolicyFlags(fs)
	ids, status, ok := parseArgs(fs, args)
	if !ok {
		return status
	}
	rules := builtin.All()
	policies, err := pf.load()
	if err != nil {
		fmt.Fprintf(env.Stderr, "eksguard rules: %v\n", err)
		return ExitUsage
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
	switch *format {
	case "markdown", "md":
		ruledoc.Markdown(env.Stdout, rules)
		return ExitOK
	case "text":
	default:
		fmt.Fprintf(env.Stderr, "eksguard rules: --format: want text or markdown, got %q\n", *format)
		return ExitUsage
	}
	if len(ids) > 0 {
		status := ExitOK
		for i, id := range ids {
			r := byID(id)
			if r == nil {
				fmt.Fprintf(env.Stderr, "eksguard rules: no rule %q (run 'eksguard rules' for the list)\n", id)
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
