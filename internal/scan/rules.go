package scan

import (
	"fmt"
	"sort"
	"strings"

	"github.com/agext/levenshtein"

	"github.com/eksguard/eksguard/internal/glob"
	"github.com/eksguard/eksguard/internal/report"
	"github.com/eksguard/eksguard/internal/rule"
)

// Disable turns the rules a pattern (an id or a glob such as K8S-01*)
// matches off for a repository. The DevSecOps settings page allows no silent waiver, so it
// carries the reason, and Source says where it was written, for the
// reports that list it.
type Disable struct {
	Pattern, Reason, Source string
}

// Selection is the rules a repository runs: only those Enable matches
// (every rule when it is empty), less those a Disable matches.
type Selection struct {
	Enable []string
	// EnableSource says where Enable was written ("--rule",
	// ".eksguard.yaml:4"), for the reason of the rules it leaves out.
	EnableSource string
	Disable      []Disable
}

// Select applies a selection to every rule of the run (built-in and
// custom) and lists the rules left out, each with its reason, sorted by
// id. A pattern that matches no rule is an error: a misspelt id would
// otherwise leave a rule running that the author meant to turn off, or
// none running that they meant to keep.
func Select(all []*rule.Rule, sel Selection) ([]report.DisabledRule, error) {
	matches := func(pattern string) []*rule.Rule {
		var out []*rule.Rule
		for _, r := range all {
			if glob.Match(pattern, r.ID, true) {
				out = append(out, r)
			}
		}
		return out
	}
	ids := make([]string, len(all))
	for i, r := range all {
		ids[i] = r.ID
	}
	noMatch := func(pattern, source string) error {
		msg := fmt.Sprintf("%s: %q matches no rule", source, pattern)
		if near := nearestID(pattern, ids); near != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", near)
		}
		return fmt.Errorf("%s; 'eksguard rules' lists them", msg)
	}
	off := map[string]report.DisabledRule{}
	for _, d := range sel.Disable {
		if strings.TrimSpace(d.Reason) == "" {
			return nil, fmt.Errorf("%s: disabling %s needs a reason (eksguard allows no silent waiver)", d.Source, d.Pattern)
		}
		rs := matches(d.Pattern)
		if len(rs) == 0 {
			return nil, noMatch(d.Pattern, d.Source)
		}
		for _, r := range rs {
			if _, ok := off[r.ID]; !ok {
				off[r.ID] = report.DisabledRule{RuleID: r.ID, Title: r.Title, Severity: r.Severity.String(), Reason: d.Reason, Source: d.Source}
			}
		}
	}
	if len(sel.Enable) > 0 {
		on := map[string]bool{}
		for _, p := range sel.Enable {
			rs := matches(p)
			if len(rs) == 0 {
				return nil, noMatch(p, sel.EnableSource)
			}
			for _, r := range rs {
				on[r.ID] = true
			}
		}
		for _, r := range all {
			if _, ok := off[r.ID]; !ok && !on[r.ID] {
				off[r.ID] = report.DisabledRule{RuleID: r.ID, Title: r.Title, Severity: r.Severity.String(),
					Reason: "not selected: only " + strings.Join(sel.Enable, ", ") + " run", Source: sel.EnableSource, NotSelected: true}
			}
		}
	}
	out := make([]report.DisabledRule, 0, len(off))
	for _, d := range off {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].RuleID < out[j].RuleID })
	return out, nil
}

// nearestID is the id closest to a mistyped one, when one is close.
func nearestID(s string, ids []string) string {
	best, bestD := "", 0
	for _, id := range ids {
		d := levenshtein.Distance(strings.ToUpper(s), id, nil)
		if best == "" || d < bestD {
			best, bestD = id, d
		}
	}
	if bestD > 2 {
		return ""
	}
	return best
}
