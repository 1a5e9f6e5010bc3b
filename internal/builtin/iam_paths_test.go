package builtin

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/eksguard/eksguard/internal/frontend"
	"github.com/eksguard/eksguard/internal/rule"
	"github.com/eksguard/eksguard/internal/rule/ruletest"
)

// The escalation rules share one analysis per graph and configuration: a
// scan of the same graph with other crown jewels or another date must get
// the verdicts a fresh graph gives with those settings, whatever ran first.
func TestEscalationVerdictsFollowConfig(t *testing.T) {
	plain := &rule.Config{AsOf: ruletest.AsOf}
	jewel := &rule.Config{AsOf: ruletest.AsOf, CrownJewels: []string{"arn:aws:iam::*:role/ops"}}
	later := &rule.Config{AsOf: ruletest.AsOf.Add(24 * time.Hour), CrownJewels: jewel.CrownJewels}
	rules := []*rule.Rule{iamEscalationPath, ciReachesAdmin}
	verdicts := func(rs []rule.Result) []string {
		var out []string
		for _, r := range rs {
			out = append(out, fmt.Sprintf("%s %s %s %s", r.Rule.ID, r.Status, r.Resource.Address, r.Message))
		}
		return out
	}
	fresh := func(cfg *rule.Config) []string {
		return verdicts(rule.Run(rules, frontend.Load([]string{"testdata/IAM-030"}, frontend.Options{}).Graph, cfg))
	}
	if reflect.DeepEqual(fresh(plain), fresh(jewel)) {
		t.Fatal("the crown jewel changes no verdict: the test shows nothing")
	}
	g := frontend.Load([]string{"testdata/IAM-030"}, frontend.Options{}).Graph
	for _, cfg := range []*rule.Config{plain, jewel, later, plain} {
		if got, want := verdicts(rule.Run(rules, g, cfg)), fresh(cfg); !reflect.DeepEqual(got, want) {
			t.Errorf("jewels %v at %s on a graph scanned before: %q, want %q", cfg.CrownJewels, cfg.AsOf, got, want)
		}
	}
}
