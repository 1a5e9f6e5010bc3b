package cli

import (
	"flag"
	"fmt"
	"github.com/eksguard/eksguard/internal/frontend"
	"os"

	"github.com/eksguard/eksguard/internal/baseline"
	"github.com/eksguard/eksguard/internal/gate"
	"github.com/eksguard/eksguard/internal/rule"
	"github.com/eksguard/eksguard/internal/scan"
)

// defaultConfig returns the suppressions file to read: the one given, else
// .eksguard.yaml in the current directory when there is one.
func defaultConfig(given string) string {
	if given != "" {
		return given
	}
	if _, err := os.Stat(".eksguard.yaml"); err == nil {
		return ".eksguard.yaml"
	}
	return ""
}

// runBaseline handles "eksguard baseline create": scan, then record the
// fingerprints of every failed finding.
func runBaseline(args []string, env Env) int {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(env.Stderr, "Usage: eksguard baseline create [--output FILE] [scan input flags] PATH...")
		return ExitUsage
	}
	fs := flag.NewFlagSet("baseline create", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	out := fs.String("output", ".eksguard-baseline.json", "baseline `FILE` to write")
	var tfVars, tfVarFiles, cfnParams listFlag
	fs.Var(&tfVars, "var", "Terraform root variable `NAME=VALUE`; repeatable")
	fs.Var(&tfVarFiles, "var-file", "Terraform variables `FILE`; repeatable")
	fs.Var(&cfnParams, "cfn-param", "CloudFormation parameter `NAME=VALUE`; repeatable")
	configFile := fs.String("config", "", "suppressions `FILE` (suppressed findings are not recorded)")
	accountID := fs.String("account-id", "", "AWS account `ID` the code is deployed to (as for scan)")
	tfe := addTFEvalFlags(fs)
	pf := addPolicyFlags(fs)
	paths, status, ok := parseArgs(fs, args[1:])
	if !ok {
		return status
	}
	if len(paths) == 0 {
		fmt.Fprintln(env.Stderr, "eksguard baseline create: no PATH given")
		return ExitUsage
	}
	vars, ok1 := keyValues(env, "--var", tfVars)
	params, ok2 := keyValues(env, "--cfn-param", cfnParams)
	if !ok1 || !ok2 {
		return ExitUsage
	}
	policies, err := pf.load()
	if err != nil {
		fmt.Fprintf(env.Stderr, "eksguard baseline create: %v\n", err)
		return ExitUsage
	}
	rep := scan.Run(scan.Options{Paths: paths, Stdin: env.Stdin, Policy: gate.Policy{FailOn: rule.None}, Version: version(),
		Vars: vars, VarFiles: tfVarFiles, CfnParams: params, ConfigFile: defaultConfig(*configFile), Policies: policies,
		AccountID: *accountID, Terraform: func(o *frontend.Options) { tfe.apply(o, "", env.Getenv) }})
	b := baseline.Create(rep.Findings, rep.AsOf)
	if err := b.Write(*out); err != nil {
		fmt.Fprintf(env.Stderr, "eksguard baseline create: %v\n", err)
		return ExitUsage
	}
	fmt.Fprintf(env.Stdout, "wrote %s: %d findings\n", *out, len(b.Findings))
	// A baseline missing an unread module's findings is safe (they are
	// gated as new once the module is read), so this is not a failure; but
	// whoever records it should know what it does not cover.
	if n := len(rep.Summary.Incomplete); n > 0 {
		fmt.Fprintf(env.Stderr, "eksguard baseline create: incomplete: %d module %s not read (%s not recorded):\n", n,
			plural(n, "call", "calls"), plural(n, "its findings are", "their findings are"))
		for _, u := range rep.Summary.Incomplete {
			fmt.Fprintf(env.Stderr, "  %s %s:%d: %s\n", u.Call, u.File, u.Line, u.Reason)
		}
	}
	if scan.ExitCode(rep, false) == ExitUsage {
		for _, e := range rep.Errors {
			fmt.Fprintln(env.Stderr, e.String())
		}
		return ExitUsage
	}
	return ExitOK
}
