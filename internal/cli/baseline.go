package cli

import (
	"fmt"

	"github.com/spf13/pflag"

	"github.com/eksguard/eksguard/internal/baseline"
	"github.com/eksguard/eksguard/internal/gate"
	"github.com/eksguard/eksguard/internal/rule"
	"github.com/eksguard/eksguard/internal/scan"
)

var _ = register(&command{
	name: "baseline create",
	args: "PATH...",
	summary: "Record the fingerprints of today's failed findings, so a scan with --baseline FILE gates only new ones. " +
		"Give it the flags the scan will be given (inputs, rules, policies): they decide which findings exist.",
	examples: []string{
		"eksguard baseline create --output .eksguard-baseline.json infra/",
		"eksguard baseline create --k8s-namespace apps k8s/ && eksguard scan --k8s-namespace apps --baseline .eksguard-baseline.json k8s/",
	},
	exit: "0 written; 2 an input could not be read (the findings of the rest are recorded); 3 usage or configuration error, or the file could not be written.",
	flags: func(fs *pflag.FlagSet, o *Options) {
		grouped(fs, groupOutputs, func() {
			fs.StringVarP(&o.Output, "output", "o", ".eksguard-baseline.json", "baseline `FILE` to write")
		})
		addInputFlags(fs, o)
		addRuleFlags(fs, o)
		addPolicyFlags(fs, o)
		addConfigFlag(fs, o)
	},
	run: runBaselineCreate,
})

// runBaselineCreate scans, then records the fingerprints of every failed
// finding. It takes every flag that shapes findings, so the baseline it
// writes matches a scan given the same flags.
func runBaselineCreate(inv *invocation) int {
	env, o := inv.env, inv.opts
	if len(inv.args) == 0 {
		inv.errf("no PATH given")
		return ExitUsage
	}
	so, err := inv.scanOptions(env.Stderr)
	if err != nil {
		return inv.fail(err)
	}
	so.Policy = gate.Policy{FailOn: rule.None}
	rep := scan.Run(so)
	out := &o.Output
	b := baseline.Create(rep.Findings, rep.AsOf)
	if err := b.Write(*out); err != nil {
		inv.errf("%v", err)
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
	if scan.ExitCode(rep, false) == ExitInput {
		for _, e := range rep.Errors {
			fmt.Fprintln(env.Stderr, e.String())
		}
		return ExitInput
	}
	return ExitOK
}
