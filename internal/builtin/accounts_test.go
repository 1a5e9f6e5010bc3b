package builtin

import (
	"testing"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/rule"
	"github.com/eksguard/eksguard/internal/rule/ruletest"
)

// TestAliasPattern: --alias-pattern replaces the convention of ACC-001,
// and its env group the environment words of ACC-004.
func TestAliasPattern(t *testing.T) {
	cfg := fixtureConfig()
	cfg.AliasPattern = `bboq-(?P<env>dev|qa|prod)-[a-z]+`
	exps := ruletest.Run(t, "testdata/config/ACC-alias-pattern", cfg, accAlias, accProfileNames)
	if len(exps) != 5 {
		t.Errorf("checked %d expectations, want 5", len(exps))
	}
}

func TestEnvWords(t *testing.T) {
	for _, c := range []struct {
		pattern string
		in, out []string
	}{
		{"", []string{"dev", "test", "stage", "staging", "prod", "production"}, []string{"prd", "qa", "product", "devops"}},
		{`x-(?P<env>qa|uat)-y`, []string{"qa", "uat"}, []string{"dev", "prod"}},
		{`[a-z]+-(dev|prod)-[a-z]+`, nil, nil}, // no env group: the default words
	} {
		env := envWords(c.pattern)
		if c.in == nil {
			if env != nil {
				t.Errorf("%q: want no env group, got %s", c.pattern, env)
			}
			continue
		}
		for _, w := range c.in {
			if !env.MatchString(w) {
				t.Errorf("%q: %s is an environment word", c.pattern, w)
			}
		}
		for _, w := range c.out {
			if env.MatchString(w) {
				t.Errorf("%q: %s is not an environment word", c.pattern, w)
			}
		}
	}
	cfg := &rule.Config{AliasPattern: `[a-z]+-(dev|prod)-[a-z]+`}
	if conv := convention(cfg); conv.err != nil || !conv.env.MatchString("staging") || !conv.alias.MatchString("bboq-dev-web") {
		t.Errorf("a pattern without env group keeps the default environment words: %+v", conv)
	}
}

func TestInvalidAliasPatternIsUnknown(t *testing.T) {
	g := graph.New()
	g.Add(&graph.Resource{Type: "aws_iam_account_alias", Address: "aws_iam_account_alias.a",
		Attrs: graph.NewMap(map[string]*graph.Value{"account_alias": graph.NewString("bboq-dev-web")})})
	g.Add(&graph.Resource{Type: typeCLIProfile, Name: "dev", Address: "profile.dev"})
	res := rule.Run([]*rule.Rule{accAlias, accProfileNames}, g, &rule.Config{AliasPattern: "(["})
	if len(res) != 2 || res[0].Status != rule.StatusUnknown || res[1].Status != rule.StatusUnknown {
		t.Errorf("an invalid pattern must give unknowns, got %+v", res)
	}
}
