// Package compliance is the catalogue behind `--format compliance`: every
// requirement of the practice sources (the public documents the rules were
// drawn from, builtin.PracticeSources) and every EKS Best Practices Guide
// security recommendation, each with the rules that check it, and the computation of
// its status from per-rule verdict counts. The scan computes the view
// (View) and hands it to the writers in the report. The wording is our own
// summary.
package compliance

import (
	"sort"
	"strings"

	"github.com/eksguard/eksguard/internal/report"
	"github.com/eksguard/eksguard/internal/rule"
)

// Source groups requirements: a practice source or a section of the guide.
type Source struct {
	Key string // "conveyor", "bpg iam"
	// Title heads the source's requirements; when empty, the title of its
	// only reference.
	Title string
	// Refs are the rule references that cite the source: the documents
	// the requirements come from. Rules citing one of them make up the
	// source's Rest requirement.
	Refs []rule.Reference
}

// Name is the source's heading: its Title, or the title of its only
// reference.
func (s Source) Name() string {
	if s.Title == "" && len(s.Refs) == 1 {
		return s.Refs[0].Title
	}
	return s.Title
}

// SourceOf returns the source with the key.
func SourceOf(key string) (Source, bool) {
	for _, s := range Sources {
		if s.Key == key {
			return s, true
		}
	}
	return Source{}, false
}

// Requirement is one line of the compliance view.
type Requirement struct {
	ID     string
	Source string // Source.Key
	Text   string
	// Rules are the rule ids behind the requirement, written out.
	Rules []string
	// BPG, "page#anchor" of the guide, adds every rule whose eks-bpg
	// reference points at that section.
	BPG string
	// Why is set when the requirement cannot be checked from code.
	Why string
	// Rest, on a practice source's requirement, adds every rule whose
	// references cite one of the source's Refs and that no other
	// requirement of the source lists.
	Rest bool
}

// Result is a requirement with its status.
type Result struct {
	Requirement
	Rules   []string // explicit and derived, sorted
	Status  report.ComplianceStatus
	Failing []report.RuleFail
	// Unexercised lists rules with no verdict at all; Unknown rules with
	// only unknown verdicts.
	Unexercised []string
	Unknown     []string
	Passed      int // passing verdicts over all the rules
}

// PassedRules are the rules that neither failed nor lacked a pass.
func (r Result) PassedRules() []string {
	skip := map[string]bool{}
	for _, f := range r.Failing {
		skip[f.Rule] = true
	}
	for _, id := range append(append([]string{}, r.Unknown...), r.Unexercised...) {
		skip[id] = true
	}
	var out []string
	for _, id := range r.Rules {
		if !skip[id] {
			out = append(out, id)
		}
	}
	return out
}

const bpgBase = "https://docs.aws.amazon.com/eks/latest/best-practices/"

// RulesOf returns the rule ids behind a requirement: the explicit table
// plus those of rules whose references cite its guide section, sorted.
func RulesOf(r Requirement, rules []*rule.Rule) []string {
	set := map[string]bool{}
	for _, id := range r.Rules {
		set[id] = true
	}
	if r.BPG != "" {
		page, anchor, _ := strings.Cut(r.BPG, "#")
		want := bpgBase + page + ".html"
		if anchor != "" {
			want += "#" + anchor
		}
		for _, ru := range rules {
			for _, ref := range ru.References {
				if ref.Kind == "eks-bpg" && ref.URL == want {
					set[ru.ID] = true
				}
			}
		}
	}
	if r.Rest {
		for id := range sourceRest(r, rules) {
			set[id] = true
		}
	}
	out := make([]string, 0, len(set))
	for id := range set {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// sourceRest returns the rules citing r's source that no other requirement
// of the source names.
func sourceRest(r Requirement, rules []*rule.Rule) map[string]bool {
	listed := map[string]bool{}
	for _, o := range Catalogue {
		if o.Source == r.Source && o.ID != r.ID && !o.Rest {
			for _, id := range RulesOf(o, rules) {
				listed[id] = true
			}
		}
	}
	src, _ := SourceOf(r.Source)
	out := map[string]bool{}
	for _, ru := range rules {
		if !listed[ru.ID] && Cites(ru, src) {
			out[ru.ID] = true
		}
	}
	return out
}

// Cites tells whether a rule's references name one of the source's.
func Cites(ru *rule.Rule, src Source) bool {
	for _, ref := range ru.References {
		for _, want := range src.Refs {
			if ref == want {
				return true
			}
		}
	}
	return false
}

// Evaluate computes every requirement's status from the verdicts of a
// scan, in catalogue order. rules are the rules the scan knew, run or
// disabled: a guide section or practice source is checked by those of
// them that cite it, and one that did not run counts as not exercised.
func Evaluate(rules []*rule.Rule, verdicts report.RuleVerdicts) []Result {
	var out []Result
	for _, req := range Catalogue {
		out = append(out, evaluate(req, rules, verdicts))
	}
	return out
}

func evaluate(req Requirement, rules []*rule.Rule, verdicts report.RuleVerdicts) Result {
	res := Result{Requirement: req, Rules: RulesOf(req, rules)}
	if req.Why != "" && len(res.Rules) == 0 {
		res.Status = report.ComplianceNotCheckable
		return res
	}
	allPassed := true
	for _, id := range res.Rules {
		v := verdicts[id]
		res.Passed += v.Pass
		switch {
		case v.Fail > 0:
			res.Failing = append(res.Failing, report.RuleFail{Rule: id, Count: v.Fail})
		case v.Pass == 0 && v.Unknown > 0:
			res.Unknown = append(res.Unknown, id)
		case v.Pass == 0:
			res.Unexercised = append(res.Unexercised, id)
		}
		if v.Pass == 0 {
			allPassed = false
		}
	}
	switch {
	case len(res.Failing) > 0:
		res.Status = report.ComplianceFailed
	case allPassed && len(res.Rules) > 0:
		res.Status = report.ComplianceMet
	default:
		res.Status = report.ComplianceNotEvaluated
	}
	return res
}

// View is the compliance view of a scan, grouped by source in Sources
// order, as the report carries it to the writers.
func View(rules []*rule.Rule, verdicts report.RuleVerdicts) *report.Compliance {
	results := Evaluate(rules, verdicts)
	v := &report.Compliance{}
	for _, src := range Sources {
		out := report.ComplianceSource{Name: src.Name(), Refs: src.Refs}
		for _, res := range results {
			if res.Source != src.Key {
				continue
			}
			out.Requirements = append(out.Requirements, report.ComplianceRequirement{
				ID: res.ID, Text: res.Text, Status: res.Status, Rules: res.Rules, Why: res.Why,
				Failing: res.Failing, Passed: res.Passed, Passing: res.PassedRules(),
				Unknown: res.Unknown, Unexercised: res.Unexercised,
			})
		}
		v.Sources = append(v.Sources, out)
	}
	return v
}
