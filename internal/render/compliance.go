package render

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/eksguard/eksguard/internal/report"
)

func init() { Writers["compliance"] = WriteCompliance }

// WriteCompliance writes the compliance view: each requirement of the
// practice sources and each EKS Best Practices Guide recommendation with its status (met, failed, not
// evaluated, not checkable from code), grouped by source, as a Markdown
// table per source, headed by the source's name (as the rules' references
// name it) and its addresses. It reads only r.Compliance, which the scan
// computed.
func WriteCompliance(w io.Writer, r *report.Report, _ Options) error {
	if r.Compliance == nil {
		return errors.New("the report carries no compliance view")
	}
	total := 0
	count := map[report.ComplianceStatus]int{}
	for _, src := range r.Compliance.Sources {
		for _, req := range src.Requirements {
			count[req.Status]++
			total++
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# eksguard compliance view (as of %s)\n\n", r.AsOf)
	fmt.Fprintf(&b, "%d requirements: %d met, %d failed, %d not evaluated, %d not checkable from code\n",
		total, count[report.ComplianceMet], count[report.ComplianceFailed], count[report.ComplianceNotEvaluated], count[report.ComplianceNotCheckable])
	for _, src := range r.Compliance.Sources {
		fmt.Fprintf(&b, "\n## %s\n\n", src.Name)
		writeSourceRefs(&b, src)
		b.WriteString("| id | requirement | status | rules | detail |\n|---|---|---|---|---|\n")
		for _, req := range src.Requirements {
			rules := strings.Join(req.Rules, " ")
			if rules == "" {
				rules = "-"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", req.ID, cell(req.Text), req.Status, rules, cell(complianceDetail(req)))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeSourceRefs lists the documents behind a source: the address of a
// source that is one document (headed by its title), or each document by
// title and address.
func writeSourceRefs(b *strings.Builder, src report.ComplianceSource) {
	if len(src.Refs) == 1 && src.Refs[0].Title == src.Name {
		if u := src.Refs[0].URL; u != "" {
			fmt.Fprintf(b, "Source: <%s>\n\n", u)
		}
		return
	}
	for _, ref := range src.Refs {
		if ref.URL != "" {
			fmt.Fprintf(b, "- %s: <%s>\n", ref.Title, ref.URL)
		} else {
			fmt.Fprintf(b, "- %s\n", ref.Title)
		}
	}
	if len(src.Refs) > 0 {
		b.WriteString("\n")
	}
}

func complianceDetail(req report.ComplianceRequirement) string {
	var parts []string
	switch req.Status {
	case report.ComplianceNotCheckable:
		return req.Why
	case report.ComplianceFailed:
		var f []string
		for _, x := range req.Failing {
			f = append(f, fmt.Sprintf("%s (%d)", x.Rule, x.Count))
		}
		parts = append(parts, "failing: "+strings.Join(f, ", "))
	case report.ComplianceMet:
		parts = append(parts, fmt.Sprintf("passing verdicts: %d", req.Passed))
	case report.ComplianceNotEvaluated:
		if len(req.Passing) > 0 {
			parts = append(parts, "passing: "+strings.Join(req.Passing, ", "))
		}
	}
	if len(req.Unknown) > 0 {
		parts = append(parts, "unknown only: "+strings.Join(req.Unknown, ", "))
	}
	if len(req.Unexercised) > 0 {
		parts = append(parts, "not exercised: "+strings.Join(req.Unexercised, ", "))
	}
	return strings.Join(parts, "; ")
}

func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
