// Package scan runs the whole pipeline: inputs → graph → rules → findings
// → gate → report.
package scan

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sort"
	"time"

	"github.com/eksguard/eksguard/internal/builtin"
	"github.com/eksguard/eksguard/internal/compliance"
	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/finding"
	"github.com/eksguard/eksguard/internal/frontend"
	"github.com/eksguard/eksguard/internal/gate"
	"github.com/eksguard/eksguard/internal/iam"
	"github.com/eksguard/eksguard/internal/iam/escalate"
	"github.com/eksguard/eksguard/internal/policy"
	"github.com/eksguard/eksguard/internal/report"
	"github.com/eksguard/eksguard/internal/rule"
	"github.com/eksguard/eksguard/internal/secret"
)

// Options configure a scan.
type Options struct {
	Paths   []string
	Stdin   io.Reader
	Policy  gate.Policy
	Config  rule.Config
	Rules   []*rule.Rule // nil means every built-in rule
	Version string
	// Vars and VarFiles set Terraform root module variables.
	Vars     map[string]string
	VarFiles []string
	TfDir    string
	// CfnParams override CloudFormation parameters (--cfn-param).
	CfnParams map[string]string
	// DefaultNamespace is where Kubernetes objects that name none land.
	DefaultNamespace string
	// Stage, when set, is told what the scan is doing, for a progress
	// display.
	Stage func(string)
	// ConfigFile is a .eksguard.yaml with suppressions; BaselineFile a
	// baseline whose findings are not gated.
	ConfigFile   string
	BaselineFile string
	// AccountID is the AWS account the code is deployed to; it makes the
	// ARNs of its IAM principals known. CloudFormation's AWS::AccountId
	// parameter is used when it is empty.
	AccountID string
	// Terraform sets what the evaluator needs to know of where the code is
	// deployed and whether it may fetch modules, and the rest of the
	// front-end options (the walk, Helm rendering); its AccountID, when
	// empty, is AccountID above, else AWS::AccountId.
	Terraform func(*frontend.Options)
	// Policies are the custom Rego policies of the run (--policy), loaded
	// and compiled once; their findings go through the same gate,
	// suppressions and outputs as the built-in rules.
	Policies *policy.Set
	// PolicyPrint receives the output of print() calls in policies.
	PolicyPrint io.Writer
	// Disabled are the rules that do not run (Select), built-in or
	// custom, listed in the report with their reasons.
	Disabled []report.DisabledRule

	// fullGraph builds the whole graph even when only raw-document
	// policies run, so tests can compare the two ways.
	fullGraph bool
}

// Run scans and returns the report. It never fails as a whole: unreadable
// inputs become report errors and the rest is still checked.
func Run(o Options) *report.Report {
	if o.Config.AsOf.IsZero() {
		o.Config.AsOf = time.Now().UTC()
	}
	rules := o.Rules
	if rules == nil {
		rules = builtin.All()
	}
	// The compliance view names the disabled rules too, as not exercised.
	known := rules
	if len(o.Disabled) > 0 {
		off := map[string]bool{}
		for _, d := range o.Disabled {
			off[d.RuleID] = true
		}
		var on []*rule.Rule
		for _, r := range rules {
			if !off[r.ID] {
				on = append(on, r)
			}
		}
		rules = on
		if o.Policies != nil {
			kept := o.Policies.Policies[:0:0]
			for _, p := range o.Policies.Policies {
				if !off[p.Rule.ID] {
					kept = append(kept, p)
				}
			}
			o.Policies.Policies = kept
		}
	}
	stage := func(string) {}
	if o.Stage != nil {
		stage = o.Stage
	}
	stage("reading inputs")
	fo := frontendOptions(o, rules)
	rawOnly := fo.RawOnly
	loaded := frontend.Load(o.Paths, fo)
	// What the front-ends worked with (a decoded plan's records, parse
	// tables, file bytes) dies here while the graph lives on. Collected
	// now, the rules start with a heap sized to the graph; otherwise they
	// build their indexes on top of a goal set mid-load, and a plan of
	// 230,000 resources peaks 60 MB higher. A scan that only raw-document
	// policies read keeps the documents themselves: little dies here.
	if !rawOnly {
		runtime.GC()
	}
	if acct := accountID(o); acct != "" {
		iam.SetAccount(loaded.Graph, acct)
	}
	stage(fmt.Sprintf("checking %d resources against %d rules", loaded.Graph.Len(), len(rules)))
	// Passes are only counted in every report, so they are kept as counts.
	results, passes := rule.RunCounted(rules, loaded.Graph, &o.Config)
	// Values reach policies and the graph's writers masked; text a rule,
	// a policy or a front-end built from a value's string is masked here.
	red := loaded.Redactor
	var custom policy.Output
	if o.Policies != nil && len(o.Policies.Policies) > 0 {
		stage(fmt.Sprintf("evaluating %d custom policies", len(o.Policies.Policies)))
		pw := red.Writer(o.PolicyPrint)
		custom = o.Policies.Evaluate(context.Background(), policy.Env{Graph: loaded.Graph,
			Documents: PolicyDocuments(loaded.Documents), Print: pw})
		_ = secret.Flush(pw)
		results = append(results, custom.Results...)
		rule.SortResults(results)
	}
	var paths []report.PathView
	if !rawOnly {
		// The escalation analysis reads the edges, which a raw-only run
		// does not build; `eksguard iam paths` gives the paths. The rules
		// ran it already: this reads their analysis.
		paths = iamPaths(loaded.Graph, escalate.Analyze(loaded.Graph,
			escalate.Config{Now: o.Config.AsOf, CrownJewels: o.Config.CrownJewels}))
	}
	// The indexes rules and the analysis built are not read from here on.
	// The account is a setting the graph keeps the same way: kept.
	loaded.Graph.ForgetMemos()
	// They die all at once, and the collector would not notice before the
	// heap reached twice what its last cycle found live, indexes included:
	// the findings and the report would be built in memory the process no
	// longer needs (on a plan of 230,000 resources, 350 MB more at the
	// peak). One cycle here sizes the heap to what is still live. Raw
	// policies alone build no such indexes.
	if !rawOnly {
		runtime.GC()
	}
	if acct := accountID(o); acct != "" {
		iam.SetAccount(loaded.Graph, acct)
	}
	for i := range results {
		results[i].Message, results[i].Fix = red.String(results[i].Message), red.String(results[i].Fix)
	}
	for i := range custom.Excepted {
		e := &custom.Excepted[i].Result
		e.Message, e.Fix = red.String(e.Message), red.String(e.Fix)
	}

	r := &report.Report{
		SchemaVersion: report.SchemaVersion,
		Tool:          report.Tool{Name: "eksguard", Version: o.Version},
		AsOf:          o.Config.AsOf.Format("2006-01-02"),
		DisabledRules: o.Disabled,
		BaselineUsed:  o.BaselineFile != "",
	}
	for _, f := range loaded.Files {
		r.Inputs = append(r.Inputs, report.Input{Path: f.Path, Kind: string(f.Kind), Files: f.N()})
	}
	diags := loaded.Diags
	if o.Policies != nil {
		diags = append(append(diags, o.Policies.Diags...), custom.Diags...)
	}
	diags = frontend.RedactDiags(red, diags)
	for _, d := range diags {
		if d.Severity == diag.Notice {
			r.Notices = append(r.Notices, d)
		} else {
			r.Errors = append(r.Errors, d)
		}
	}
	nRules := len(rules)
	if o.Policies != nil {
		nRules += len(o.Policies.Policies)
	}
	files := 0
	for _, in := range r.Inputs {
		files += in.Files
	}
	r.Summary = report.Summary{Files: files, Resources: loaded.Graph.Len(), Rules: nRules,
		BySev: map[string]int{"critical": 0, "high": 0, "medium": 0, "low": 0}}
	r.Summary.Incomplete = incomplete(diags)
	ex := newExceptions(o, r)
	r.RuleVerdicts = map[string]report.RuleCount{}
	verdict := func(id string, f func(*report.RuleCount)) {
		c := r.RuleVerdicts[id]
		f(&c)
		r.RuleVerdicts[id] = c
	}
	// A resource whose address another one shares in its directory gets
	// fingerprints that name its file; the others keep theirs.
	sources := finding.Sources(loaded.Graph)
	for i, n := range passes {
		if n > 0 {
			r.Summary.Passed += n
			verdict(rules[i].ID, func(c *report.RuleCount) { c.Pass += n })
		}
	}
	// Sized once: appending a large plan's 240,000 findings one by one
	// asks the heap for ever larger runs of pages (50, 100, 200 MB), which
	// the space freed in between, in smaller pieces, cannot serve.
	nFail, nUnknown := 0, 0
	for _, res := range results {
		switch res.Status {
		case rule.StatusFail:
			nFail++
		case rule.StatusUnknown:
			nUnknown++
		}
	}
	if n := nFail + len(loaded.Imported); n > 0 {
		r.Findings = make([]finding.Finding, 0, n)
	}
	if nUnknown > 0 {
		r.Unknowns = make([]finding.Finding, 0, nUnknown)
	}
	for _, res := range results {
		switch res.Status {
		case rule.StatusPass:
			r.Summary.Passed++
			verdict(res.Rule.ID, func(c *report.RuleCount) { c.Pass++ })
		case rule.StatusFail:
			f := finding.FromResultIn(res, sources[res.Resource])
			if !ex.apply(r, &f, &res) {
				continue
			}
			r.Findings = append(r.Findings, f)
			r.Summary.Failed++
			r.Summary.BySev[f.SeverityName]++
			verdict(res.Rule.ID, func(c *report.RuleCount) { c.Fail++ })
		case rule.StatusUnknown:
			if res.Resource == nil {
				// A rule crashed: an internal error, reported as such.
				r.Errors = append(r.Errors, diag.Diagnostic{Severity: diag.Error, File: "eksguard", Summary: res.Message})
				continue
			}
			f := finding.FromResultIn(res, sources[res.Resource])
			if !ex.apply(r, &f, &res) {
				continue
			}
			r.Unknowns = append(r.Unknowns, f)
			r.Summary.Unknown++
			verdict(res.Rule.ID, func(c *report.RuleCount) { c.Unknown++ })
		}
	}
	// Results a conftest exception rule waived are listed as suppressed,
	// with the exception as the recorded reason.
	for _, e := range custom.Excepted {
		f := finding.FromResultIn(e.Result, sources[e.Result.Resource])
		f.Suppression = &finding.Suppression{Reason: "waived by the exception rule of " + e.Result.Rule.ID + "'s package", File: e.At.File, Line: int(e.At.Line)}
		r.Suppressed = append(r.Suppressed, f)
	}
	r.Compliance = compliance.View(known, r.RuleVerdicts)
	r.IAMPaths = paths
	var inputs []string
	for _, f := range loaded.Files {
		inputs = append(inputs, f.Path)
	}
	// Imported findings (other scanners' reports) fall under the same
	// suppressions and baseline as eksguard's own.
	for _, rec := range loaded.Imported {
		f := importedFinding(rec)
		if !ex.applyTo(r, &f, 0, nil) {
			continue
		}
		r.Findings = append(r.Findings, f)
		r.Summary.Failed++
		r.Summary.BySev[f.SeverityName]++
	}
	// Nil as before when every one was suppressed or baselined.
	if len(r.Findings) == 0 {
		r.Findings = nil
	}
	if len(r.Unknowns) == 0 {
		r.Unknowns = nil
	}
	ex.finish(r, inputs)
	r.Summary.Suppressed, r.Summary.Baselined = len(r.Suppressed), len(r.Baselined)
	r.Gate = gate.Evaluate(o.Policy, r.Findings, gatedSuppressed(r))
	if len(loaded.Files) == 0 && hasError(r.Errors) {
		// "Gate: passed" after inputs that failed to read would tell a
		// reader of the log's last line that the code was checked.
		r.Gate = gate.NotEvaluatedDecision(o.Policy, "no input was read")
	}
	return r
}

// frontendOptions are the front-end options of a scan running rules (and
// o.Policies, already trimmed to those selected). When nothing but
// raw-document policies runs, as under conftest, what only rules and
// graph and resource policies read is not built (docs/custom-policies.md).
func frontendOptions(o Options, rules []*rule.Rule) frontend.Options {
	fo := frontend.Options{Stdin: o.Stdin, Vars: o.Vars, VarFiles: o.VarFiles, TfDir: o.TfDir,
		CfnParams: o.CfnParams, DefaultNamespace: o.DefaultNamespace, KeepDocuments: o.Policies.NeedsDocuments(),
		RawOnly: len(rules) == 0 && o.Policies.RawOnly() && !o.fullGraph}
	if o.Terraform != nil {
		o.Terraform(&fo)
	}
	if fo.AccountID == "" {
		fo.AccountID = accountID(o)
	}
	return fo
}

// incomplete lists the parts of the input the front-ends could not read
// (module calls, CloudFormation includes and macros), sorted
// by file and line as the report's other arrays are. It is never nil: an
// empty list is the report's statement that the scan was complete.
func incomplete(diags diag.List) []report.UnreadCall {
	out := []report.UnreadCall{}
	for _, d := range diags.Incomplete() {
		out = append(out, report.UnreadCall{Call: d.Unread.Call, Source: d.Unread.Source, File: d.File, Line: d.Line,
			Reason: d.Unread.Reason})
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Call < b.Call
	})
	return out
}

// PolicyDocuments hands the front-ends' raw documents to custom policies.
func PolicyDocuments(ds []frontend.Document) []policy.Document {
	out := make([]policy.Document, len(ds))
	for i, d := range ds {
		out[i] = policy.Document{File: d.File, Kind: string(d.Kind), Index: d.Index, Value: d.Value}
	}
	return out
}

func accountID(o Options) string {
	if o.AccountID != "" {
		return o.AccountID
	}
	return o.CfnParams["AWS::AccountId"]
}

// ExitCode maps a report to the process status: 1 when the gate failed;
// else 2 when an input could not be read (the rest was still scanned,
// reported and gated), nothing was read, or failOnIncomplete is set and a
// part of the input was not read; else 0. A failed gate wins: the code
// read has issues whatever else went wrong, and CI reading 2 as "retry
// the scan" must not lose that. An incomplete scan is the same kind of
// failure as an unreadable input, so it shares status 2 rather than
// posing as a gate verdict.
func ExitCode(r *report.Report, failOnIncomplete bool) int {
	switch {
	case r.Gate.NotEvaluated != "":
		return 2
	case !r.Gate.Passed:
		return 1
	case hasError(r.Errors):
		return 2
	case failOnIncomplete && len(r.Summary.Incomplete) > 0:
		return 2
	}
	return 0
}

// InputFailed tells whether an input could not be read, or nothing was.
func InputFailed(r *report.Report) bool {
	return hasError(r.Errors) || r.Gate.NotEvaluated != ""
}

func hasError(ds []diag.Diagnostic) bool {
	for _, e := range ds {
		if e.Severity == diag.Error {
			return true
		}
	}
	return false
}
