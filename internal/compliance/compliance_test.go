package compliance

import (
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/builtin"
	"github.com/eksguard/eksguard/internal/report"
	"github.com/eksguard/eksguard/internal/testutil"
)

// TestCatalogueRulesExist fails when the catalogue names a rule that does
// not exist, or a requirement is neither checked nor explained.
func TestCatalogueRulesExist(t *testing.T) {
	sources := map[string]bool{}
	for _, s := range Sources {
		sources[s.Key] = true
	}
	ids := map[string]bool{}
	for _, req := range Catalogue {
		if ids[req.ID] {
			t.Errorf("duplicate requirement id %s", req.ID)
		}
		ids[req.ID] = true
		if !sources[req.Source] {
			t.Errorf("%s: unknown source %q", req.ID, req.Source)
		}
		for _, id := range req.Rules {
			if builtin.ByID(id) == nil {
				t.Errorf("%s: rule %s does not exist", req.ID, id)
			}
		}
		rules := RulesOf(req, builtin.All())
		if req.Why == "" && len(rules) == 0 {
			t.Errorf("%s: no rule and no reason it cannot be checked", req.ID)
		}
		if req.Why != "" && len(rules) > 0 {
			t.Errorf("%s: has rules and a not-checkable reason", req.ID)
		}
	}
}

// TestEverySourceAppears checks each practice source is a compliance
// source, headed by the title its references carry, each guide section has
// requirements, and the catalogue is grouped in Sources order.
func TestEverySourceAppears(t *testing.T) {
	for _, ref := range builtin.PracticeSources() {
		n := 0
		for _, s := range Sources {
			for _, r := range s.Refs {
				if r == ref {
					n++
				}
			}
		}
		if n != 1 {
			t.Errorf("practice source %q is in %d compliance sources, want 1", ref.Title, n)
		}
	}
	for _, s := range Sources {
		if s.Name() == "" {
			t.Errorf("source %s has no name", s.Key)
		}
		if len(s.Refs) == 1 && s.Title != "" && s.Title != s.Refs[0].Title {
			t.Errorf("source %s is headed %q but its reference is named %q", s.Key, s.Title, s.Refs[0].Title)
		}
	}
	order := map[string]int{}
	for i, s := range Sources {
		order[s.Key] = i
	}
	count := map[string]int{}
	last := 0
	for _, req := range Catalogue {
		count[req.Source]++
		if order[req.Source] < last {
			t.Errorf("%s: out of source order", req.ID)
		}
		last = order[req.Source]
	}
	for _, s := range Sources {
		if count[s.Key] == 0 {
			t.Errorf("source %s has no requirement", s.Key)
		}
	}
}

// TestSourceRulesCovered: every rule that cites a practice source is behind
// at least one requirement of that source.
func TestSourceRulesCovered(t *testing.T) {
	bySource := map[string]map[string]bool{}
	for _, req := range Catalogue {
		if bySource[req.Source] == nil {
			bySource[req.Source] = map[string]bool{}
		}
		for _, id := range RulesOf(req, builtin.All()) {
			bySource[req.Source][id] = true
		}
	}
	cited := 0
	for _, r := range builtin.All() {
		for _, src := range Sources {
			if len(src.Refs) == 0 || !Cites(r, src) {
				continue
			}
			cited++
			if !bySource[src.Key][r.ID] {
				t.Errorf("rule %s cites %s but no requirement of it lists the rule", r.ID, src.Name())
			}
		}
	}
	if cited == 0 {
		t.Error("no rule cites a practice source")
	}
}

func TestStatuses(t *testing.T) {
	byID := map[string]Result{}
	verdicts := report.RuleVerdicts{
		"EKS-001":  {Pass: 2},
		"EKS-002":  {Pass: 1, Fail: 3},
		"NODE-007": {Pass: 1},
		"NODE-006": {Unknown: 1},
		"K8S-019":  {Pass: 4, Unknown: 1},
	}
	for _, r := range Evaluate(builtin.All(), verdicts) {
		byID[r.ID] = r
	}
	check := func(id string, want report.ComplianceStatus) Result {
		t.Helper()
		r := byID[id]
		if r.Status != want {
			t.Errorf("%s: status %q, want %q", id, r.Status, want)
		}
		return r
	}
	// Endpoint private: EKS-002 failed 3 times.
	r := check("S001-5", report.ComplianceFailed)
	if len(r.Failing) != 1 || r.Failing[0] != (report.RuleFail{Rule: "EKS-002", Count: 3}) {
		t.Errorf("S001-5 failing = %v", r.Failing)
	}
	check("BPG-INF-1", report.ComplianceMet)            // NODE-007 passed
	check("BPG-RUN-1", report.ComplianceMet)            // passes and some unknowns, none failed
	r = check("S001-15", report.ComplianceNotEvaluated) // NODE-006 unknown only
	if len(r.Unknown) != 1 {
		t.Errorf("S001-15 unknown = %v", r.Unknown)
	}
	r = check("S002-8", report.ComplianceNotEvaluated) // no verdicts at all
	if len(r.Unexercised) != 2 {
		t.Errorf("S002-8 unexercised = %v", r.Unexercised)
	}
	check("BPG-IR-1", report.ComplianceNotCheckable)
	// A requirement with one rule passed and one never exercised is not met.
	verdicts = report.RuleVerdicts{"NODE-001": {Pass: 1}}
	for _, r := range Evaluate(builtin.All(), verdicts) {
		if r.ID == "S002-5" && r.Status != report.ComplianceNotEvaluated {
			t.Errorf("S002-5 with NODE-002 unexercised: %q", r.Status)
		}
	}
}

func TestBPGDerivesRules(t *testing.T) {
	for _, req := range Catalogue {
		if req.ID == "BPG-POD-6" {
			got := strings.Join(RulesOf(req, builtin.All()), " ")
			if !strings.Contains(got, "K8S-016") || !strings.Contains(got, "K8S-017") {
				t.Errorf("BPG-POD-6 rules = %s", got)
			}
		}
	}
}

// TestSourcesNameNoMissingFile: a source heading or document names no file
// that is not in the repository.
func TestSourcesNameNoMissingFile(t *testing.T) {
	root := testutil.RepoRoot(t)
	for _, s := range Sources {
		texts := []string{s.Name()}
		for _, ref := range s.Refs {
			texts = append(texts, ref.Title)
			if u := testutil.MissingRepoURL(root, ref.URL); u != "" {
				t.Errorf("source %s points at %s, which is not in the repository", s.Key, u)
			}
		}
		for _, txt := range texts {
			for _, p := range testutil.MissingRepoPaths(root, txt) {
				t.Errorf("source %s: %q names %s, which is not in the repository", s.Key, txt, p)
			}
		}
	}
}

// TestView: the view the scan hands the writers has every requirement once,
// under its source, in catalogue order, with Evaluate's status and the
// rules that passed.
func TestView(t *testing.T) {
	verdicts := report.RuleVerdicts{"EKS-002": {Pass: 1, Fail: 3}, "NODE-007": {Pass: 1}, "NODE-006": {Unknown: 1}}
	want := Evaluate(builtin.All(), verdicts)
	v := View(builtin.All(), verdicts)
	if len(v.Sources) != len(Sources) {
		t.Fatalf("%d sources, want %d", len(v.Sources), len(Sources))
	}
	i := 0
	for si, src := range v.Sources {
		if src.Name != Sources[si].Name() || len(src.Refs) != len(Sources[si].Refs) {
			t.Errorf("source %d: %q with %d documents, want %q with %d", si, src.Name, len(src.Refs), Sources[si].Name(), len(Sources[si].Refs))
		}
		for _, req := range src.Requirements {
			if i >= len(want) {
				t.Fatalf("more requirements than the catalogue's %d", len(want))
			}
			w := want[i]
			i++
			if w.Source != Sources[si].Key || req.ID != w.ID || req.Status != w.Status || strings.Join(req.Rules, " ") != strings.Join(w.Rules, " ") ||
				strings.Join(req.Passing, " ") != strings.Join(w.PassedRules(), " ") || len(req.Failing) != len(w.Failing) {
				t.Errorf("requirement %s under %s: %+v, want %+v", req.ID, src.Name, req, w)
			}
		}
	}
	if i != len(want) {
		t.Errorf("%d requirements in the view, %d in the catalogue", i, len(want))
	}
}
