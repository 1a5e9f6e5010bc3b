// Package report is what one scan produced: findings, counts, diagnostics,
// the gate decision and the views derived from them (IAM escalation paths,
// the compliance view). The scan fills a Report; the writers (package
// render) read only it, never the graph or the rules, so every output
// tells the same story.
package report

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/eksguard/eksguard/internal/baseline"
	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/finding"
	"github.com/eksguard/eksguard/internal/gate"
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
	// Compliance is the compliance view computed from RuleVerdicts; the
	// JSON report carries RuleVerdicts, from which it is derived.
	Compliance *Compliance `json:"-"`
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

// Location is the module block's file:line.
func (u UnreadCall) Location() string {
	if u.Line > 0 {
		return fmt.Sprintf("%s:%d", u.File, u.Line)
	}
	return u.File
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
