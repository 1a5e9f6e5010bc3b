package render

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/eksguard/eksguard/internal/report"
)

func init() { Writers["markdown"] = WriteMarkdown }

// mdTop is how many findings the Markdown report lists.
const mdTop = 20

// WriteMarkdown writes a report for a pull-request comment: a summary
// table (counts by severity, unknowns, the gate's verdict) and, under it,
// the module calls that were not read, then the top
// findings (at most 20, most severe first) as a table, one <details>
// section per listed finding with its message and remediation, and the
// unknowns in a collapsed section.
//
// With Options.Show it lists the findings of those severities only, and
// says how many it hid; the summary table still counts them all.
func WriteMarkdown(out io.Writer, r *report.Report, o Options) error {
	w := bufio.NewWriter(out)
	r, hidden := shown(r, o)
	name := r.Tool.Name
	if name == "" {
		name = "eksguard"
	}
	fmt.Fprintf(w, "## %s report\n\n", name)

	g := r.Gate
	verdict := "✅ passed (fails on " + g.FailOn + " or above)"
	switch {
	case g.NotEvaluated != "":
		verdict = "⚠️ **not evaluated**: " + mdInline(g.NotEvaluated)
	case g.FailOn == "none":
		verdict = "disabled (`--fail-on none`)"
	case !g.Passed:
		verdict = fmt.Sprintf("❌ **failed**: %d %s at %s or above", g.Blocking, plural(g.Blocking, "issue", "issues"), g.FailOn)
	}
	s := r.Summary
	w.WriteString("| Critical | High | Medium | Low | Unknown | Passed | Gate |\n")
	w.WriteString("|---:|---:|---:|---:|---:|---:|---|\n")
	fmt.Fprintf(w, "| %d | %d | %d | %d | %d | %d | %s |\n\n", s.BySev["critical"], s.BySev["high"],
		s.BySev["medium"], s.BySev["low"], s.Unknown, s.Passed, verdict)
	if n := len(s.Incomplete); n > 0 {
		fmt.Fprintf(w, "⚠️ **%s:**\n\n", mdInline(incompleteHeadline(s.Incomplete)))
		for _, u := range s.Incomplete {
			fmt.Fprintf(w, "- %s (%s) at %s: %s\n", mdCode(u.Call), mdCode(u.Source), mdCode(u.Location()), mdInline(u.Reason))
		}
		w.WriteString("\n")
	}
	if probs := inputProblems(r.Errors); len(probs) > 0 {
		fmt.Fprintf(w, "⚠️ %d %s reading inputs or running policies:\n\n", len(probs), plural(len(probs), "problem", "problems"))
		for _, d := range probs {
			fmt.Fprintf(w, "- %s\n", mdInline(d.String()))
		}
		w.WriteString("\n")
	}

	if hidden > 0 {
		fmt.Fprintf(w, "%d %s of other severities not listed here (`--severity`); the gate counts %s.\n\n", hidden,
			plural(hidden, "finding", "findings"), plural(hidden, "it", "them"))
	}

	top := make([]findingT, len(r.Findings))
	copy(top, r.Findings)
	sort.SliceStable(top, func(i, j int) bool { return top[i].Severity > top[j].Severity })
	if len(top) > mdTop {
		top = top[:mdTop]
	}
	if len(top) > 0 {
		if len(r.Findings) > len(top) {
			fmt.Fprintf(w, "### Top %d of %d findings\n\n", len(top), len(r.Findings))
		} else {
			fmt.Fprintf(w, "### Findings (%d)\n\n", len(top))
		}
		w.WriteString("| Severity | Rule | Resource | Location |\n|---|---|---|---|\n")
		for _, f := range top {
			fmt.Fprintf(w, "| %s | %s %s | %s | %s |\n", f.SeverityName, mdCode(f.RuleID), mdCell(f.Title),
				mdCode(f.Resource), mdCode(f.Location()))
		}
		w.WriteString("\n")
		for _, f := range top {
			mdDetails(w, f)
		}
	} else {
		w.WriteString("No findings.\n\n")
	}

	if named, notSel := disabledParts(r); len(named)+len(notSel) > 0 {
		fmt.Fprintf(w, "**Disabled rules (%d):** not run\n\n", len(named)+len(notSel))
		for _, d := range named {
			fmt.Fprintf(w, "- %s\n", mdInline(disabledLine(d)))
		}
		if len(notSel) > 0 {
			fmt.Fprintf(w, "- %s\n", mdInline(notSelectedLine(notSel)))
		}
		w.WriteString("\n")
	}

	if len(r.Unknowns) > 0 {
		fmt.Fprintf(w, "<details><summary>%d unknown (the deciding value cannot be known from code; review these)</summary>\n\n",
			len(r.Unknowns))
		w.WriteString("| Severity | Rule | Resource | Location | Why |\n|---|---|---|---|---|\n")
		for _, f := range r.Unknowns {
			fmt.Fprintf(w, "| %s | %s %s | %s | %s | %s |\n", f.SeverityName, mdCode(f.RuleID), mdCell(f.Title),
				mdCode(f.Resource), mdCode(f.Location()), mdCell(f.Message))
		}
		w.WriteString("\n</details>\n")
	}
	return w.Flush()
}

func mdDetails(w *bufio.Writer, f findingT) {
	fmt.Fprintf(w, "<details><summary>%s %s — %s</summary>\n\n", mdHTML(f.RuleID), mdHTML(f.Title), mdHTML(f.Resource))
	if f.Message != "" {
		fmt.Fprintf(w, "%s\n\n", mdInline(f.Message))
	}
	if f.Remediation != "" {
		fmt.Fprintf(w, "**Remediation:** %s\n\n", mdInline(f.Remediation))
	}
	if f.Fix != "" {
		fence := "```"
		for strings.Contains(f.Fix, fence) {
			fence += "`"
		}
		fmt.Fprintf(w, "%s\n%s\n%s\n\n", fence, strings.TrimRight(f.Fix, "\n"), fence)
	}
	for _, ref := range f.References {
		if ref.URL != "" {
			fmt.Fprintf(w, "- [%s](%s)\n", mdInline(ref.Title), ref.URL)
		}
	}
	w.WriteString("\n</details>\n\n")
}

// mdCell makes text safe inside a table cell: one line, no bare pipes.
func mdCell(s string) string {
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "|", "\\|").Replace(s)
	return mdHTML(s)
}

// mdInline keeps text from opening HTML tags in the comment.
func mdInline(s string) string { return mdHTML(s) }

func mdHTML(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// mdCode renders s as inline code inside a table cell.
func mdCode(s string) string {
	if s == "" {
		return ""
	}
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "|", "\\|").Replace(s)
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	return fence + s + fence
}
