package render

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/finding"
	"github.com/eksguard/eksguard/internal/report"
	"github.com/eksguard/eksguard/internal/rule"
)

type palette struct{ red, yellow, blue, gray, bold, green, magenta, reset string }

func colors(on bool) palette {
	if !on {
		return palette{}
	}
	return palette{red: "\x1b[31m", yellow: "\x1b[33m", blue: "\x1b[34m", gray: "\x1b[90m",
		bold: "\x1b[1m", green: "\x1b[32m", magenta: "\x1b[35m", reset: "\x1b[0m"}
}

func (p palette) sev(s rule.Severity) string {
	switch s {
	case rule.Critical:
		return p.magenta + p.bold
	case rule.High:
		return p.red + p.bold
	case rule.Medium:
		return p.yellow
	case rule.Low:
		return p.blue
	}
	return ""
}

func title(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// WriteText writes the human report: failures grouped by severity, most
// severe first, each in the shape of the example in Snyk's EKS hardening post (title, severity,
// rule, service, "introduced by" path, file:line), then unknowns, input
// problems, and a summary with the gate's verdict.
//
// With Quiet it writes only the input errors and the verdict; with Show
// it lists the findings of those severities and says how many it hid.
func WriteText(out io.Writer, r *report.Report, o Options) error {
	w := bufio.NewWriter(out)
	c := colors(o.Color)
	if o.Quiet {
		for _, d := range inputProblems(r.Errors) {
			if d.Severity == diag.Error {
				fmt.Fprintf(w, "%s!%s %s\n", c.red, c.reset, d.String())
			}
		}
		writeGate(w, c, r)
		return w.Flush()
	}
	r, hidden := shown(r, o)

	// Files, not inputs: a Terraform root of 34 .tf files is 34 files read.
	kinds := map[string]int{}
	files := 0
	for _, in := range r.Inputs {
		kinds[in.Kind] += in.N()
		files += in.N()
	}
	// The modelled kinds in a fixed order, then any other (imported
	// reports, data for custom policies) by name.
	var ks []string
	order := []string{"terraform-plan", "terraform", "cloudformation", "kubernetes", "iam-policy", "aws-cli-config", "github-workflow"}
	listed := map[string]bool{}
	for _, k := range order {
		listed[k] = true
	}
	var others []string
	for k := range kinds {
		if !listed[k] {
			others = append(others, k)
		}
	}
	sort.Strings(others)
	for _, k := range append(order, others...) {
		if kinds[k] > 0 {
			ks = append(ks, fmt.Sprintf("%d %s", kinds[k], k))
		}
	}
	byKind := ""
	if len(ks) > 0 {
		byKind = " (" + strings.Join(ks, ", ") + ")"
	}
	fmt.Fprintf(w, "%s%s %s%s: %d %s%s, %d resources, %d rules\n", c.bold, r.Tool.Name, r.Tool.Version, c.reset,
		files, plural(files, "file", "files"), byKind, r.Summary.Resources, r.Summary.Rules)

	if len(r.Findings) > 0 {
		fmt.Fprintf(w, "\n%sIssues (%d)%s\n", c.bold, len(r.Findings), c.reset)
		for _, sev := range []rule.Severity{rule.Critical, rule.High, rule.Medium, rule.Low} {
			for _, f := range r.Findings {
				if f.Severity == sev {
					writeFinding(w, c, f, "✗")
				}
			}
		}
	}
	if len(r.Unknowns) > 0 {
		fmt.Fprintf(w, "\n%sUnknown (%d): the deciding value cannot be known from code; review these%s\n", c.bold, len(r.Unknowns), c.reset)
		for _, f := range r.Unknowns {
			writeFinding(w, c, f, "?")
		}
	}
	if len(r.Suppressed) > 0 {
		fmt.Fprintf(w, "\n%sSuppressed (%d): accepted with a recorded analysis%s\n", c.bold, len(r.Suppressed), c.reset)
		for _, f := range r.Suppressed {
			sp := f.Suppression
			until := ""
			if sp.Expires != "" {
				until = ", until " + sp.Expires
			}
			owner := ""
			if sp.Owner != "" {
				owner = ", owner " + sp.Owner
			}
			gated := ""
			if f.Severity >= rule.Critical {
				gated = " (critical: still gated)"
			}
			fmt.Fprintf(w, "  %s~%s [%s] %s %s\n    %sreason: %s%s%s (%s:%d)%s\n", c.gray, c.reset, f.RuleID, f.Resource,
				f.Location(), c.gray, sp.Reason, until, owner+gated, sp.File, sp.Line, c.reset)
		}
	}
	var unused []string
	for _, sp := range r.Suppressions {
		if sp.Status == "unused" {
			unused = append(unused, fmt.Sprintf("%s:%d (%s)", sp.File, sp.Line, strings.Join(sp.Rules, ",")))
		}
	}
	if len(unused) > 0 {
		fmt.Fprintf(w, "\n%sUnused suppressions (%d): %s%s\n", c.gray, len(unused), strings.Join(unused, "; "), c.reset)
	}
	if len(r.Baselined) > 0 || len(r.Fixed) > 0 {
		fmt.Fprintf(w, "\n%sBaseline: %d known %s not gated, %d fixed since%s\n", c.gray, len(r.Baselined),
			plural(len(r.Baselined), "finding", "findings"), len(r.Fixed), c.reset)
	}
	if probs := inputProblems(r.Errors); len(probs) > 0 {
		fmt.Fprintf(w, "\n%sInput problems (%d)%s\n", c.bold, len(probs), c.reset)
		for _, d := range probs {
			fmt.Fprintf(w, "  %s!%s %s\n", c.red, c.reset, d.String())
		}
	}
	var modules, planDirs []string
	var notInPlan []diag.Diagnostic
	skipped := 0
	for _, d := range r.Notices {
		if dir, ok := diag.NotRootDir(d); ok {
			modules = append(modules, dir)
		} else if dir, ok := diag.PlanBesideDir(d); ok {
			planDirs = append(planDirs, dir)
		} else if diag.IsNotInPlan(d) {
			notInPlan = append(notInPlan, d)
		} else {
			skipped++
		}
	}
	if n := len(planDirs); n > 0 {
		list := planDirs
		if n > 5 {
			list = append(list[:5:5], fmt.Sprintf("and %d more", n-5))
		}
		fmt.Fprintf(w, "\n%s%d Terraform %s .tf files and a plan: the plan is checked, the .tf files only place its findings: %s%s\n",
			c.gray, n, plural(n, "directory holds", "directories hold"), strings.Join(list, ", "), c.reset)
	}
	for _, d := range notInPlan {
		fmt.Fprintf(w, "%s  %s: %s%s\n", c.gray, d.Summary, d.Detail, c.reset)
	}
	if n := len(modules); n > 0 {
		// Named: unlike a skipped file, each holds resources no rule
		// checked.
		list := modules
		if n > 5 {
			list = append(list[:5:5], fmt.Sprintf("and %d more", n-5))
		}
		fmt.Fprintf(w, "\n%s%d Terraform %s only used as %s and called by no scanned root module, not checked: %s; scan %s on its own to check it%s\n",
			c.gray, n, plural(n, "directory", "directories"), plural(n, "a module", "modules"), strings.Join(list, ", "), plural(n, "it", "one"), c.reset)
	}
	if skipped > 0 {
		fmt.Fprintf(w, "\n%s%d %s skipped (kind not recognised or not parseable, binary, not a regular file, or a link out of the scanned paths); use --format json to list them%s\n", c.gray, skipped,
			plural(skipped, "file", "files"), c.reset)
	}

	if named, notSel := disabledParts(r); len(named)+len(notSel) > 0 {
		fmt.Fprintf(w, "\n%sDisabled rules (%d): not run%s\n", c.bold, len(named)+len(notSel), c.reset)
		for _, d := range named {
			fmt.Fprintf(w, "  %s-%s %s\n", c.gray, c.reset, disabledLine(d))
		}
		if len(notSel) > 0 {
			fmt.Fprintf(w, "  %s-%s %s\n", c.gray, c.reset, notSelectedLine(notSel))
		}
	}

	s := r.Summary
	var parts []string
	for _, sev := range []string{"critical", "high", "medium", "low"} {
		parts = append(parts, fmt.Sprintf("%d %s", s.BySev[sev], sev))
	}
	extra := ""
	if s.Suppressed > 0 {
		extra = fmt.Sprintf(", %d suppressed", s.Suppressed)
	}
	if s.Baselined > 0 {
		extra += fmt.Sprintf(", %d in the baseline", s.Baselined)
	}
	fmt.Fprintf(w, "\n%sSummary:%s %d %s (%s)%s, %d unknown, %d passed\n", c.bold, c.reset, s.Failed,
		plural(s.Failed, "issue", "issues"), strings.Join(parts, ", "), extra, s.Unknown, s.Passed)
	if hidden > 0 {
		names := make([]string, len(o.Show))
		for i, sev := range o.Show {
			names[i] = sev.String()
		}
		fmt.Fprintf(w, "%s%d %s not shown (--severity %s); the gate and the JSON report count %s%s\n", c.gray, hidden,
			plural(hidden, "finding", "findings"), strings.Join(names, ","), plural(hidden, "it", "them"), c.reset)
	}
	writeGate(w, c, r)
	return w.Flush()
}

// writeGate writes the gate's verdict, what was not read, and the count
// of input errors with the exit status they bring: the lines a CI log
// must show even with --quiet.
func writeGate(w io.Writer, c palette, r *report.Report) {
	g := r.Gate
	switch {
	case g.NotEvaluated != "":
		fmt.Fprintf(w, "%sGate: not evaluated%s (%s)\n", c.red+c.bold, c.reset, g.NotEvaluated)
	case g.FailOn == rule.None.String():
		fmt.Fprintf(w, "%sGate: disabled (--fail-on none)%s\n", c.gray, c.reset)
	case g.Passed:
		fmt.Fprintf(w, "%sGate: passed%s (fails on %s or above)\n", c.green, c.reset, g.FailOn)
	default:
		fmt.Fprintf(w, "%sGate: FAILED%s: %d %s at %s or above\n", c.red+c.bold, c.reset, g.Blocking,
			plural(g.Blocking, "issue", "issues"), g.FailOn)
	}
	// Beside the verdict, because "0 issues, gate passed" is read as "the
	// cluster was checked" and here part of it was not.
	if n := len(r.Summary.Incomplete); n > 0 {
		fmt.Fprintf(w, "%s%s%s\n", c.yellow+c.bold, incompleteHeadline(r.Summary.Incomplete), c.reset)
		for _, u := range r.Summary.Incomplete {
			fmt.Fprintf(w, "  %s?%s %s (%s) %s: %s\n", c.yellow, c.reset, u.Call, u.Source, u.Location(), u.Reason)
		}
	}
	errs := 0
	for _, e := range r.Errors {
		if e.Severity == diag.Error {
			errs++
		}
	}
	if errs > 0 {
		// A failed gate's status 1 wins over the 2 of an input error.
		status := "exit status 2"
		if g.NotEvaluated == "" && !g.Passed {
			status = "exit status 1, as the gate failed"
		}
		fmt.Fprintf(w, "%s%d %s reading inputs or running policies; %s%s\n", c.red, errs, plural(errs, "error", "errors"), status, c.reset)
	}
}

func writeFinding(w io.Writer, c palette, f finding.Finding, mark string) {
	fmt.Fprintf(w, "  %s%s %s [%s Severity] [%s] in %s%s\n", c.sev(f.Severity), mark, f.Title,
		title(f.SeverityName), f.RuleID, f.Service, c.reset)
	fmt.Fprintf(w, "    introduced by %s\n", strings.Join(f.IntroducedBy, " > "))
	fmt.Fprintf(w, "    %s%s%s\n", c.gray, f.Location(), c.reset)
	if f.ValueFrom != nil {
		fmt.Fprintf(w, "    %svalue set at %s:%d%s\n", c.gray, f.ValueFrom.File, f.ValueFrom.Line, c.reset)
	}
	for i := len(f.ModuleCalls) - 1; i >= 0; i-- {
		mc := f.ModuleCalls[i]
		fmt.Fprintf(w, "    %scalled from %s:%d%s\n", c.gray, mc.File, mc.Line, c.reset)
	}
	if f.Message != "" {
		fmt.Fprintf(w, "    %s\n", f.Message)
	}
	if f.Fix != "" {
		fmt.Fprintf(w, "    %sfix:%s\n", c.gray, c.reset)
		for _, ln := range strings.Split(strings.TrimRight(f.Fix, "\n"), "\n") {
			fmt.Fprintf(w, "      %s\n", ln)
		}
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
