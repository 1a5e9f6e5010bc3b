package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/eksguard/eksguard/internal/compliance"
)

func init() { Writers["compliance"] = WriteCompliance }

// WriteCompliance writes the compliance view: each requirement of the
// practice sources and each EKS Best Practices Guide recommendation with its status (met, failed, not
// evaluated, not checkable from code), grouped by source, as a Markdown
// table per source, headed by the source's name (as the rules' references
// name it) and its addresses. It reads only r.RuleVerdicts.
func WriteCompliance(w io.Writer, r *Report, _ Options) error {
	verdicts := map[string]compliance.Verdict{}
	for id, c := range r.RuleVerdicts {
		verdicts[id] = compliance.Verdict{Fail: c.Fail, Pass: c.Pass, Unknown: c.Unknown}
	}
	results := compliance.Evaluate(verdicts)
	count := map[compliance.Status]int{}
	for _, res := range results {
		count[res.Status]++
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# eksguard compliance view (as of %s)\n\n", r.AsOf)
	fmt.Fprintf(&b, "%d requirements: %d met, %d failed, %d not evaluated, %d not checkable from code\n",
		len(results), count[compliance.Met], count[compliance.Failed], count[compliance.NotEvaluated], count[compliance.NotCheckable])
	for _, src := range compliance.Sources {
		fmt.Fprintf(&b, "\n## %s\n\n", src.Name())
		writeSourceRefs(&b, src)
		b.WriteString("| id | requirement | status | rules | detail |\n|---|---|---|---|---|\n")
		for _, res := range results {
			if res.Source != src.Key {
				continue
			}
			rules := strings.Join(res.Rules, " ")
			if rules == "" {
				rules = "-"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", res.ID, cell(res.Text), res.Status, rules, cell(complianceDetail(res)))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeSourceRefs lists the documents behind a source: the address of a
// source that is one document, or each document by title and address.
func writeSourceRefs(b *strings.Builder, src compliance.Source) {
	if src.Title == "" && len(src.Refs) == 1 {
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

func complianceDetail(res compliance.Result) string {
	var parts []string
	switch res.Status {
	case compliance.NotCheckable:
		return res.Why
	case compliance.Failed:
		var f []string
		for _, x := range res.Failing {
			f = append(f, fmt.Sprintf("%s (%d)", x.Rule, x.Count))
		}
		parts = append(parts, "failing: "+strings.Join(f, ", "))
	case compliance.Met:
		parts = append(parts, fmt.Sprintf("passing verdicts: %d", res.Passed))
	case compliance.NotEvaluated:
		if p := res.PassedRules(); len(p) > 0 {
			parts = append(parts, "passing: "+strings.Join(p, ", "))
		}
	}
	if len(res.Unknown) > 0 {
		parts = append(parts, "unknown only: "+strings.Join(res.Unknown, ", "))
	}
	if len(res.Unexercised) > 0 {
		parts = append(parts, "not exercised: "+strings.Join(res.Unexercised, ", "))
	}
	return strings.Join(parts, "; ")
}

func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
