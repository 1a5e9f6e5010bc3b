package iam

import (
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/tri"
)

func TestFromJSON(t *testing.T) {
	p := FromJSON(`{"Statement":{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::1:oidc-provider/x"},`+
		`"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"x:sub":"system:serviceaccount:a:b"}}}}`, "trust")
	if len(p.Errors) > 0 || len(p.Statements) != 1 {
		t.Fatalf("errors %v, %d statements", p.Errors, len(p.Statements))
	}
	st := p.Statements[0]
	if st.Effect != Allow || st.Principal.ByKind.Get("Federated").Values[0] != "arn:aws:iam::1:oidc-provider/x" ||
		len(st.Conditions) != 1 || st.Conditions[0].Key != "x:sub" {
		t.Errorf("statement read as %+v", st)
	}
	for doc, want := range map[string]string{
		"":                   "empty policy document",
		"{":                  "not valid JSON",
		"[]":                 "not a JSON object",
		`{"Statement":[{}]}`: "no valid Effect",
	} {
		p := FromJSON(doc, "trust")
		if !strings.Contains(strings.Join(p.Errors, "; "), want) {
			t.Errorf("FromJSON(%q) errors %q, want one with %q", doc, p.Errors, want)
		}
	}
}

func TestCoversAction(t *testing.T) {
	const action = "sts:AssumeRoleWithWebIdentity"
	cases := []struct {
		name, stmt string
		want       tri.Tri
	}{
		{"exact", `"Action":"sts:AssumeRoleWithWebIdentity"`, tri.True},
		{"case-insensitive wildcard", `"Action":["sts:TagSession","STS:assumerolewith*"]`, tri.True},
		{"other action", `"Action":"sts:AssumeRole"`, tri.False},
		{"NotAction naming it", `"NotAction":"sts:Assume*"`, tri.False},
		{"NotAction naming another", `"NotAction":"sts:TagSession"`, tri.True},
		{"policy variable", `"Action":"sts:${aws:x}"`, tri.Unknown},
	}
	for _, c := range cases {
		p := FromJSON(`{"Statement":[{"Effect":"Allow","Principal":"*",`+c.stmt+`,"Condition":{"StringEquals":{"k":"v"}}}]}`, c.name)
		if len(p.Errors) > 0 {
			t.Fatalf("%s: %v", c.name, p.Errors)
		}
		// The condition is left to the caller: it must not turn a match
		// into "maybe".
		if got := p.Statements[0].CoversAction(action); got != c.want {
			t.Errorf("%s: CoversAction = %v, want %v", c.name, got, c.want)
		}
	}
}
