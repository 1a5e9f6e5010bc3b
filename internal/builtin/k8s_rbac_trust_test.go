package builtin

import (
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/rule"
)

const trustProvider = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC123"

func TestTrustAdmits(t *testing.T) {
	stmt := func(action, cond string) string {
		c := ""
		if cond != "" {
			c = `,"Condition":` + cond
		}
		return `{"Effect":"Allow","Principal":{"Federated":"` + trustProvider + `"},"Action":` + action + c + `}`
	}
	doc := func(stmts ...string) string {
		return `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
	}
	subKey := `"oidc.eks.eu-west-1.amazonaws.com/id/ABC123:sub"`
	cases := []struct {
		name, doc string
		want      rule.Tri
		allowed   string
	}{
		{"exact", doc(stmt(`"sts:AssumeRoleWithWebIdentity"`, `{"StringEquals":{`+subKey+`:"system:serviceaccount:pay:api"}}`)), rule.True, ""},
		{"other sa", doc(stmt(`"sts:AssumeRoleWithWebIdentity"`, `{"StringEquals":{`+subKey+`:["system:serviceaccount:pay:worker"]}}`)), rule.False, "StringEquals system:serviceaccount:pay:worker"},
		{"like", doc(stmt(`["sts:AssumeRoleWithWebIdentity"]`, `{"StringLike":{`+subKey+`:"system:serviceaccount:pay:*"}}`)), rule.True, ""},
		{"no sub", doc(stmt(`"sts:*"`, `{"StringEquals":{"oidc.eks.eu-west-1.amazonaws.com/id/ABC123:aud":"sts.amazonaws.com"}}`)), rule.True, ""},
		{"wrong action", doc(stmt(`"sts:AssumeRole"`, "")), rule.False, ""},
		{"single statement object", `{"Statement":` + stmt(`"*"`, "") + `}`, rule.True, ""},
		{"unknown operator", doc(stmt(`"sts:AssumeRoleWithWebIdentity"`, `{"ArnLike":{`+subKey+`:"x"}}`)), rule.TriUnknown, ""},
		{"service principal", doc(`{"Effect":"Allow","Principal":{"Service":"pods.eks.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]}`), rule.False, ""},
		{"deny", doc(stmt(`"sts:AssumeRoleWithWebIdentity"`, ""),
			`{"Effect":"Deny","Principal":"*","Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringLike":{`+subKey+`:"system:serviceaccount:pay:*"}}}`), rule.False, "any service account"},
		{"not like", doc(stmt(`"sts:AssumeRoleWithWebIdentity"`, `{"StringNotLike":{`+subKey+`:"system:serviceaccount:kube-system:*"}}`)), rule.True, ""},
	}
	for _, c := range cases {
		tp, err := parseTrustPolicy(c.doc)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got, allowed := tp.admitsServiceAccount("pay", "api")
		if got != c.want {
			t.Errorf("%s: admits = %v, want %v", c.name, got, c.want)
		}
		if c.allowed != "" && strings.Join(allowed, "; ") != c.allowed {
			t.Errorf("%s: allowed = %q, want %q", c.name, allowed, c.allowed)
		}
	}
}

func TestTrustParseErrors(t *testing.T) {
	for _, doc := range []string{`not json`, `{"Statement":[{"Effect":"Maybe"}]}`, `{"Statement":[{"Effect":"Allow","Condition":{"StringEquals":"x"}}]}`} {
		if _, err := parseTrustPolicy(doc); err == nil {
			t.Errorf("parseTrustPolicy(%q): no error", doc)
		}
	}
}

func TestTrustPolicyText(t *testing.T) {
	obj := graph.NewMap(map[string]*graph.Value{"Statement": graph.NewList()})
	if s, ok := trustPolicyText(obj); !ok || s != `{"Statement":[]}` {
		t.Errorf("object policy: %q %v", s, ok)
	}
	obj.Map.Set("Version", graph.NewUnknown())
	if _, ok := trustPolicyText(obj); ok {
		t.Error("policy with an unknown part read as known")
	}
}
