package iam

import (
	"testing"

	"github.com/eksguard/eksguard/internal/frontend"
	"github.com/eksguard/eksguard/internal/rule"
)

// TestModelAttachments: each attachment form brings its own policy. A
// managed ARN of managed_policy_arns is that policy, not the role's
// permissions boundary (which is also a reference to an aws_iam_policy of
// the code), and aws_iam_policy_attachment attaches to the roles of its
// roles list.
func TestModelAttachments(t *testing.T) {
	res := frontend.Load([]string{"testdata/model-attach"}, frontend.Options{})
	for _, d := range res.Diags {
		t.Fatalf("load: %s", d)
	}
	m := Build(res.Graph)
	identity := func(name string) PolicySet {
		ids := m.Named(Role, name)
		if len(ids) != 1 {
			t.Fatalf("%d roles named %s", len(ids), name)
		}
		return PolicySet{Identity: ids[0].Policies.Identity}
	}
	for _, name := range []string{"bounded", "fn"} {
		if got := Evaluate(identity(name), Request{Action: "iam:CreateUser", Resource: "*"}).Allowed; got != rule.True {
			t.Errorf("%s: its identity policies allow iam:CreateUser %v, want true (AdministratorAccess)", name, got)
		}
	}
	b := m.Named(Role, "bounded")[0].Policies.Boundary
	if b == nil || b.Name != "boundary" {
		t.Errorf("bounded: boundary %+v, want the policy named boundary", b)
	}
}
