// Package render writes a scan's report in each output format. Writers
// read only the report.Report value the scan produced (findings, counts,
// diagnostics, the gate decision, the derived views), never the graph or
// the rules, so every output tells the same story.
package render

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/finding"
	"github.com/eksguard/eksguard/internal/report"
	"github.com/eksguard/eksguard/internal/rule"
)

// IncompleteID names an unread module call where a format wants an id:
// the SARIF notification descriptor and the JUnit suite.
const IncompleteID = "eksguard/incomplete"

// incompleteHeadline is the one sentence every format uses, so a reader
// meets the same words in the log, the PR comment and the HTML page.
func incompleteHeadline(us []report.UnreadCall) string {
	n := len(us)
	return fmt.Sprintf("incomplete: %d %s not read (%s resources were not checked)", n,
		unreadNoun(us), plural(n, "its", "their"))
}

// unreadNoun names what was not read: module calls in a Terraform-only
// scan, as the report always said; parts of the input once a
// CloudFormation include, macro or SAM feature is among them.
func unreadNoun(us []report.UnreadCall) string {
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

// Writer renders a report.
type Writer func(w io.Writer, r *report.Report, opts Options) error

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
func shown(r *report.Report, opts Options) (*report.Report, int) {
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
