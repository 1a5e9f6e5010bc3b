package render

import (
	"fmt"
	"strings"

	"github.com/eksguard/eksguard/internal/report"
)

// DisabledID names the SARIF notification descriptor of a disabled rule.
const DisabledID = "eksguard/rule-disabled"

// disabledParts splits the disabled rules into those turned off by name
// (each listed with its reason) and those a rule selection left out
// (summarised: they can be most of the rules).
func disabledParts(r *report.Report) (named, notSelected []report.DisabledRule) {
	for _, d := range r.DisabledRules {
		if d.NotSelected {
			notSelected = append(notSelected, d)
		} else {
			named = append(named, d)
		}
	}
	return named, notSelected
}

// disabledLine is a disabled rule as one sentence: id, title, reason, where.
func disabledLine(d report.DisabledRule) string {
	s := d.RuleID
	if d.Title != "" {
		s += " (" + d.Title + ")"
	}
	s += ": " + d.Reason
	if d.Source != "" {
		s += " [" + d.Source + "]"
	}
	return s
}

// notSelectedLine summarises the rules a selection left out.
func notSelectedLine(ds []report.DisabledRule) string {
	ids := make([]string, 0, len(ds))
	for _, d := range ds {
		ids = append(ids, d.RuleID)
	}
	list := strings.Join(ids, ", ")
	if len(ids) > 8 {
		list = strings.Join(ids[:8], ", ") + fmt.Sprintf(" and %d more", len(ids)-8)
	}
	src := ""
	if ds[0].Source != "" {
		src = " [" + ds[0].Source + "]"
	}
	return fmt.Sprintf("%d %s not selected (%s)%s: %s", len(ds), plural(len(ds), "rule", "rules"), ds[0].Reason, src, list)
}
