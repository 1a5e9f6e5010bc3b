package builtin

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/eksguard/eksguard/internal/rule"
	"github.com/eksguard/eksguard/internal/rule/ruletest"
)

// TestRules runs each rule over its fixture directory testdata/<ID>.
func TestRules(t *testing.T) {
	for _, r := range All() {
		t.Run(r.ID, func(t *testing.T) {
			dir := filepath.Join("testdata", r.ID)
			if _, err := os.Stat(dir); err != nil {
				t.Fatalf("rule %s has no fixtures in %s", r.ID, dir)
			}
			exps := ruletest.Run(t, dir, fixtureConfig(), r)
			seen := map[rule.Status]bool{}
			for _, e := range exps {
				seen[e.Status] = true
			}
			for _, st := range []rule.Status{rule.StatusFail, rule.StatusPass, rule.StatusUnknown} {
				if !seen[st] {
					t.Errorf("rule %s: fixtures annotate no %s verdict; every rule needs failing, passing and unknown cases", r.ID, st)
				}
			}
		})
	}
}

func fixtureConfig() *rule.Config {
	return &rule.Config{AsOf: ruletest.AsOf, AdminPrincipals: []string{"arn:aws:iam::*:role/platform-admin"}}
}
