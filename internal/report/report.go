// Package report writes a scan's results. Writers read only the Report
// value (findings, counts, diagnostics, the gate decision), never the graph
// or rules, so every output tells the same story.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/eksguard/eksguard/internal/baseline"
	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/finding"
	"github.com/eksguard/eksguard/internal/gate"
	"github.com/eksguard/eksguard/internal/rule"
	"github.com/eksguard/eksguard/internal/suppress"
)

// SchemaVersion is the version of the JSON report schema (docs/json-report.md).
const SchemaVersion = "1.0"

// Input is one input that was read: a file, or a Terraform root module
// directory standing for the .tf files read through it.
type Input struct {
	Path string `json:"path"`
	Kind string `json:"kind"`
	// Files is how many files the input stands for (1 but for a Terraform
	// root: its .tf and .tf.json files and those of its local modules).
	Files int `json:"files"`
}

// N is Files, with the zero value of a hand-built Input meaning one.
func (in Input) N() int {
	if in.Files > 0 {
		return in.Files
	}
	return 1
}

// Summary counts.
type Summary struct {
	// Files counts the files read, each .tf file of a Terraform root
	// included (not the number of inputs).
	Files     int `json:"files"`
	Resources int `json:"resources"`
	Rules     int `json:"rules"`
	Failed    int `json:"failed"`
	Unknown   int `json:"unknown"`
	Passed    int `json:"passed"`
	// Suppressed and Baselined count findings kept out of Failed.
	Suppressed int            `json:"suppressed"`
	Baselined  int            `json:"baselined"`
	BySev      map[string]int `json:"failed_by_severity"`
	// Incomplete lists the module calls that were not read. It sits in the
	// summary because counts of zero mean nothing about code that was never
	// checked: a reader of the summary must see it beside them.
	Incomplete []UnreadCall `json:"incomplete"`
}

// UnreadCall is a module call whose resources were not checked, with the
// position of its module block.
type UnreadCall struct {
	Call   string `json:"call"`
	Source string `json:"source"`
	File   string `json:"file"`
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

// Report is everything one scan produced.
type Report struct {
	SchemaVersion string            `json:"schema_version"`
	Tool          Tool              `json:"tool"`
	AsOf          string            `json:"as_of"`
	Inputs        []Input           `json:"inputs"`
	Findings      []finding.Finding `json:"findings"`
	Unknowns      []finding.Finding `json:"unknowns"`
	Errors        []diag.Diagnostic `json:"errors"`
	Notices       []diag.Diagnostic `json:"notices"`
	Summary       Summary           `json:"summary"`
	Gate          gate.Decision     `json:"gate"`
	// Suppressed are findings covered by a recorded exception; Suppressions
	// lists every exception with its status (used, unused, expired).
	Suppressed   []finding.Finding      `json:"suppressed"`
	Suppressions []suppress.Suppression `json:"suppressions"`
	// Baselined are findings already in the baseline given; Fixed the
	// baseline's findings no longer found.
	Baselined []finding.Finding `json:"baselined,omitempty"`
	Fixed     []baseline.Entry  `json:"fixed,omitempty"`
	// IAMPaths are the privilege-escalation paths to administrator (or a
	// crown jewel) found in the scanned code.
	IAMPaths []PathView `json:"iam_paths,omitempty"`
	// RuleVerdicts counts each rule's verdicts (after suppressions and
	// baseline), for views that need passes per rule (compliance).
	RuleVerdicts RuleVerdicts `json:"rule_verdicts,omitempty"`
	// DisabledRules are the rules that did not run, each with the reason
	// it was turned off: the DevSecOps settings page allows no silent waiver, so every
	// format lists them.
	DisabledRules []DisabledRule `json:"disabled_rules"`
	// BaselineUsed tells whether a baseline was compared (SARIF's
	// baselineState is only meaningful then).
	BaselineUsed bool `json:"-"`
}

// DisabledRule is a rule turned off for the scan.
type DisabledRule struct {
	RuleID   string `json:"rule_id"`
	Title    string `json:"title"`
	Severity string `json:"severity"`
	Reason   string `json:"reason"`
	// Source is where it was turned off: a configuration file's
	// file:line, a flag, an environment variable.
	Source string `json:"source"`
	// NotSelected marks a rule left out because rules.enable (--rule)
	// names others, rather than disabled by name.
	NotSelected bool `json:"not_selected,omitempty"`
}

// IncompleteID names an unread module call where a format wants an id:
// the SARIF notification descriptor and the JUnit suite.
const IncompleteID = "eksguard/incomplete"

// Location is the module block's file:line.
func (u UnreadCall) Location() string {
	if u.Line > 0 {
		return fmt.Sprintf("%s:%d", u.File, u.Line)
	}
	return u.File
}

// incompleteHeadline is the one sentence every format uses, so a reader
// meets the same words in the log, the PR comment and the HTML page.
func incompleteHeadline(us []UnreadCall) string {
	n := len(us)
	return fmt.Sprintf("incomplete: %d %s not read (%s resources were not checked)", n,
		unreadNoun(us), plural(n, "its", "their"))
}

// unreadNoun names what was not read: module calls in a Terraform-only
// scan, as the report always said; parts of the input once a
// CloudFormation include, macro or SAM feature is among them.
func unreadNoun(us []UnreadCall) string {
	for _, u := range us {
		if !strings.HasPrefix(u.Call, "module.") {
			return plural(len(us), "part of the input", "parts of the input")
		}
	}
	return plural(len(us), "module call", "module calls")
}

// inputProblems are the diagnostics other than the unread module calls,
// which the formats that list Summary.Incomplete show there instead.
func inputProblems(ds []diag.Diagnostic) []diag.Diagnostic {
	var out []diag.Diagnostic
	for _, d := range ds {
		if d.Unread == nil {
			out = append(out, d)
		}
	}
	return out
}

// RuleCount is one rule's verdict counts.
type RuleCount struct {
	Fail    int `json:"fail"`
	Pass    int `json:"pass"`
	Unknown int `json:"unknown"`
}

// RuleVerdicts maps a rule id to its counts. In JSON it is an array sorted
// by rule id (objects with rule_id, fail, pass, unknown), so keys stay a
// fixed, documented set.
type RuleVerdicts map[string]RuleCount

type ruleVerdictJSON struct {
	RuleID string `json:"rule_id"`
	RuleCount
}

// MarshalJSON writes the sorted array form.
func (v RuleVerdicts) MarshalJSON() ([]byte, error) {
	out := make([]ruleVerdictJSON, 0, len(v))
	for id, c := range v {
		out = append(out, ruleVerdictJSON{id, c})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].RuleID < out[j].RuleID })
	return json.Marshal(out)
}

// UnmarshalJSON reads the array form back.
func (v *RuleVerdicts) UnmarshalJSON(b []byte) error {
	var in []ruleVerdictJSON
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	*v = RuleVerdicts{}
	for _, e := range in {
		(*v)[e.RuleID] = e.RuleCount
	}
	return nil
}

// Tool identifies the producer.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Writer renders a report.
type Writer func(w io.Writer, r *Report, opts Options) error

// Options tune rendering.
type Options struct {
	Color bool
	// Quiet keeps the text report to the errors and the gate's verdict
	// (--quiet), for CI logs that only need to know why a job failed.
	Quiet bool
	// Show, when not empty, are the severities the text and Markdown
	// reports list (--severity); the others are counted as hidden. The
	// gate and the machine formats still see every finding.
	Show []rule.Severity
}

// shown is the report as the text and Markdown reports list it: the
// findings, unknowns and suppressed findings of the severities opts.Show
// names, and how many were left out.
func shown(r *Report, opts Options) (*Report, int) {
	if len(opts.Show) == 0 {
		return r, 0
	}
	keep := func(fs []finding.Finding) ([]finding.Finding, int) {
		var out []finding.Finding
		for _, f := range fs {
			if slices.Contains(opts.Show, f.Severity) {
				out = append(out, f)
			}
		}
		return out, len(fs) - len(out)
	}
	c := *r
	var h1, h2, h3 int
	c.Findings, h1 = keep(r.Findings)
	c.Unknowns, h2 = keep(r.Unknowns)
	c.Suppressed, h3 = keep(r.Suppressed)
	return &c, h1 + h2 + h3
}

// Writers by format name. Each format's file registers its writer in an
// init function, so adding one touches no shared list.
var Writers = map[string]Writer{
	"text": WriteText,
	"json": WriteJSON,
}

// Formats lists the format names in a stable order for help text.
func Formats() []string {
	out := make([]string, 0, len(Writers))
	for n := range Writers {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Get returns the writer of a format.
func Get(name string) (Writer, error) {
	w, ok := Writers[strings.ToLower(name)]
	if !ok {
		return nil, fmt.Errorf("unknown format %q (want one of: %s)", name, strings.Join(Formats(), ", "))
	}
	return w, nil
}

type (
	findingT = finding.Finding
	diagT    = diag.Diagnostic
)
