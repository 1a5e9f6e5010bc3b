package iam

import (
	"testing"

	"github.com/eksguard/eksguard/internal/frontend"
	"github.com/eksguard/eksguard/internal/tri"
)

func TestModelFromHCL(t *testing.T) {
	res := frontend.Load([]string{"testdata/model"}, frontend.Options{})
	for _, d := range res.Diags {
		t.Fatalf("load: %s", d)
	}
	m := Build(res.Graph)
	ci := m.Named(Role, "ci")
	alice := m.Named(User, "alice")
	if len(ci) != 1 || len(alice) != 1 {
		t.Fatalf("identities: %d ci, %d alice", len(ci), len(alice))
	}
	role := ci[0]
	if got := len(role.Policies.Identity); got != 2 {
		t.Errorf("ci has %d identity policies, want the attached managed one and the inline one", got)
	}
	if role.Policies.Boundary == nil || role.Policies.Boundary.Name != "boundary" {
		t.Errorf("boundary %+v", role.Policies.Boundary)
	}
	if role.ARN != "arn:aws:iam::${Account}:role/ci" {
		t.Errorf("ARN %s", role.ARN)
	}
	if role.Trust == nil || len(role.Trust.Statements) != 1 || role.Trust.Statements[0].Range.Line != 28 {
		t.Errorf("trust policy statement should keep its line inside jsonencode: %+v", role.Trust)
	}
	eval := func(ps PolicySet, action string) tri.Tri {
		return Evaluate(ps, Request{Action: action, Resource: "*"}).Allowed
	}
	// PassRole is attached but outside the boundary; RunInstances is in both.
	if got := eval(role.Policies, "iam:PassRole"); got != tri.False {
		t.Errorf("ci iam:PassRole = %v, want false (outside its boundary)", got)
	}
	if got := eval(role.Policies, "ec2:RunInstances"); got != tri.True {
		t.Errorf("ci ec2:RunInstances = %v, want true", got)
	}
	// The inline policy's resource is known only after apply: its action
	// is still read, and the answer on a concrete object is "maybe".
	d := Evaluate(role.Policies, Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::data/k"})
	if d.Allowed != tri.Unknown || len(d.Allows) != 1 || d.Allows[0].Range.Line != 46 {
		t.Errorf("s3:GetObject = %v via %d statements", d.Allowed, len(d.Allows))
	}
	// Alice is admin through her group's AWS managed policy.
	if got := eval(alice[0].Policies, "iam:CreateUser"); got != tri.True {
		t.Errorf("alice iam:CreateUser = %v, want true through group ops", got)
	}
	if len(alice[0].Groups) != 1 {
		t.Errorf("alice groups %d", len(alice[0].Groups))
	}
}

// TestReferenceInsideJSONEncode: a trust policy whose principal is another
// resource's computed ARN keeps everything else it says.
func TestReferenceInsideJSONEncode(t *testing.T) {
	res := frontend.Load([]string{"testdata/model"}, frontend.Options{})
	role := Build(res.Graph).Named(Role, "irsa")
	if len(role) != 1 || role[0].Trust == nil || role[0].Trust.Unknown || len(role[0].Trust.Statements) != 1 {
		t.Fatalf("trust policy not read: %+v", role)
	}
	st := role[0].Trust.Statements[0]
	fed := st.Principal.ByKind.Get("Federated")
	// The provider's ARN is derived from its url, the account written
	// ${Account}.
	if st.Effect != Allow || len(st.Action.Values) != 1 || st.Action.Values[0] != "sts:AssumeRoleWithWebIdentity" || fed.Unknown ||
		len(fed.Values) != 1 || fed.Values[0] != "arn:aws:iam::${Account}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC" {
		t.Errorf("statement %+v, federated %+v", st, fed)
	}
}
