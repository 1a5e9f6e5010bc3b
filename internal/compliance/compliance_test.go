package compliance

import (
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/builtin"
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
		rules := RulesOf(req)
		if req.Why == "" && len(rules) == 0 {
			t.Errorf("%s: no rule and no reason it cannot be checked", req.ID)
		}
		if req.Why != "" && len(rules) > 0 {
			t.Errorf("%s: has rules and a not-checkable reason", req.ID)
		}
	}
}

// TestEverySourceAppears checks each seed and guide section has requirements
// and the catalogue is grouped in Sources order.
func TestEverySourceAppears(t *testing.T) {
	for _, seed := range []string{"000", "001", "002", "003", "004"} {
		found := false
		for _, s := range Sources {
			if s.Key == "seed "+seed && strings.HasPrefix(s.Title, "seeds/"+seed+"_") {
				found = true
			}
		}
		if !found {
			t.Errorf("seed %s has no source", seed)
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

// TestSeedRulesCovered: every rule that cites a seed is behind at least
// one requirement of that seed.
func TestSeedRulesCovered(t *testing.T) {
	bySeed := map[string]map[string]bool{}
	for _, req := range Catalogue {
		if bySeed[req.Source] == nil {
			bySeed[req.Source] = map[string]bool{}
		}
		for _, id := range RulesOf(req) {
			bySeed[req.Source][id] = true
		}
	}
	for _, r := range builtin.All() {
		for _, ref := range r.References {
			if ref.Kind != "seed" || !strings.HasPrefix(ref.Title, "seeds/") {
				continue
			}
			seed := "seed " + ref.Title[len("seeds/"):len("seeds/")+3]
			if !bySeed[seed][r.ID] {
				t.Errorf("rule %s cites %s but no requirement of it lists the rule", r.ID, seed)
			}
		}
	}
}

func TestStatuses(t *testing.T) {
	byID := map[string]Result{}
	verdicts := map[string]Verdict{
		"EKS-001":  {Pass: 2},
		"EKS-002":  {Pass: 1, Fail: 3},
		"NODE-007": {Pass: 1},
		"NODE-006": {Unknown: 1},
		"K8S-019":  {Pass: 4, Unknown: 1},
	}
	for _, r := range Evaluate(verdicts) {
		byID[r.ID] = r
	}
	check := func(id string, want Status) Result {
		t.Helper()
		r := byID[id]
		if r.Status != want {
			t.Errorf("%s: status %q, want %q", id, r.Status, want)
		}
		return r
	}
	// Endpoint private: EKS-002 failed 3 times.
	r := check("S001-5", Failed)
	if len(r.Failing) != 1 || r.Failing[0] != (RuleFail{"EKS-002", 3}) {
		t.Errorf("S001-5 failing = %v", r.Failing)
	}
	check("BPG-INF-1", Met)            // NODE-007 passed
	check("BPG-RUN-1", Met)            // passes and some unknowns, none failed
	r = check("S001-15", NotEvaluated) // NODE-006 unknown only
	if len(r.Unknown) != 1 {
		t.Errorf("S001-15 unknown = %v", r.Unknown)
	}
	r = check("S002-8", NotEvaluated) // no verdicts at all
	if len(r.Unexercised) != 2 {
		t.Errorf("S002-8 unexercised = %v", r.Unexercised)
	}
	check("BPG-IR-1", NotCheckable)
	// A requirement with one rule passed and one never exercised is not met.
	verdicts = map[string]Verdict{"NODE-001": {Pass: 1}}
	for _, r := range Evaluate(verdicts) {
		if r.ID == "S002-5" && r.Status != NotEvaluated {
			t.Errorf("S002-5 with NODE-002 unexercised: %q", r.Status)
		}
	}
}

func TestBPGDerivesRules(t *testing.T) {
	for _, req := range Catalogue {
		if req.ID == "BPG-POD-6" {
			got := strings.Join(RulesOf(req), " ")
			if !strings.Contains(got, "K8S-016") || !strings.Contains(got, "K8S-017") {
				t.Errorf("BPG-POD-6 rules = %s", got)
			}
		}
	}
}
