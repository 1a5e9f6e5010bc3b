package iam

import (
	"testing"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/tri"
)

func TestPublicGrants(t *testing.T) {
	tests := []struct {
		doc           string
		public, maybe int
	}{
		{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}`, 1, 0},
		{`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:Decrypt","Resource":"*"}]}`, 1, 0},
		{`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}`, 0, 0},
		{`{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`, 0, 0},
		{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:CallerAccount":"111122223333"}}}]}`, 0, 0},
		{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1"}}}]}`, 0, 0},
		// A negated test or kms:ViaService alone still admits anyone.
		{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-1"}}}]}`, 1, 0},
		{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"s3.eu-west-1.amazonaws.com"}}}]}`, 1, 0},
		// A pattern every principal matches limits nothing.
		{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*"}}}]}`, 1, 0},
		{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::*:*"}}}]}`, 1, 0},
		{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1"},"StringLike":{"aws:PrincipalAccount":"*"}}}]}`, 0, 0},
		// One statement whose only caller condition is a wildcard, next to
		// one limited to an account.
		{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringLike":{"aws:PrincipalOrgID":"o-*"}}},
		  {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/*"}}}]}`, 1, 0},
	}
	for i, tt := range tests {
		pub, maybe := PublicGrants(pol(t, tt.doc))
		if len(pub) != tt.public || len(maybe) != tt.maybe {
			t.Errorf("case %d: %d public, %d maybe; want %d, %d", i, len(pub), len(maybe), tt.public, tt.maybe)
		}
	}
	unknownPrincipal := &Policy{Statements: []*Statement{{Effect: Allow, Principal: Principal{Unknown: true}}}}
	if pub, maybe := PublicGrants(unknownPrincipal); len(pub) != 0 || len(maybe) != 1 {
		t.Errorf("a principal known only after apply: %d public, %d maybe", len(pub), len(maybe))
	}
	unknownValue := &Policy{Statements: []*Statement{{Effect: Allow, Principal: Principal{Any: true},
		Conditions: []Condition{{Operator: "StringLike", Key: "aws:PrincipalOrgID", Values: Strings{Unknown: true}}}}}}
	if pub, maybe := PublicGrants(unknownValue); len(pub) != 0 || len(maybe) != 1 {
		t.Errorf("an organization known only after apply: %d public, %d maybe", len(pub), len(maybe))
	}
}

func TestLimitsCaller(t *testing.T) {
	tests := []struct {
		op, key string
		values  []string
		unknown bool
		want    tri.Tri
	}{
		// aws:PrincipalArn: the account field decides.
		{"ArnLike", "aws:PrincipalArn", []string{"arn:aws:iam::*"}, false, tri.False},
		{"ArnLike", "aws:PrincipalArn", []string{"arn:aws:iam::*:*"}, false, tri.False},
		{"ArnLike", "aws:PrincipalArn", []string{"arn:*:iam::*"}, false, tri.False},
		{"ArnEquals", "aws:PrincipalArn", []string{"*"}, false, tri.False},
		{"StringLike", "aws:PrincipalArn", []string{"arn:aws:iam::*:role/platform-admin"}, false, tri.False},
		{"ArnLike", "aws:PrincipalArn", []string{"arn:aws:iam::111122223333:role/*"}, false, tri.True},
		{"ArnLike", "aws:PrincipalArn", []string{"arn:aws:iam::${Account}:role/ci-*"}, false, tri.True},
		{"ArnEquals", "aws:PrincipalArn", []string{"arn:aws:iam::111122223333:role/ci"}, false, tri.True},
		{"ArnLike", "aws:PrincipalArn", []string{"arn:aws:iam::111122223333:role/ci", "arn:aws:iam::*:root"}, false, tri.False},
		// StringEquals reads * as a character: no principal ARN is "*".
		{"StringEquals", "aws:PrincipalArn", []string{"*"}, false, tri.True},
		// Accounts, organizations, endpoints: any wildcard admits ids the
		// code does not name.
		{"StringLike", "aws:PrincipalAccount", []string{"*"}, false, tri.False},
		{"StringLike", "aws:PrincipalAccount", []string{"11112222333?"}, false, tri.False},
		{"StringEquals", "aws:PrincipalAccount", []string{"111122223333"}, false, tri.True},
		{"StringLike", "aws:SourceAccount", []string{"?*"}, false, tri.False},
		{"ArnLike", "aws:SourceArn", []string{"*"}, false, tri.False},
		{"ArnLike", "aws:SourceArn", []string{"arn:aws:sns:*:111122223333:*"}, false, tri.True},
		{"ArnLike", "aws:SourceArn", []string{"arn:aws:s3:::logs-*"}, false, tri.False},
		{"ArnLike", "aws:SourceArn", []string{"arn:aws:s3:::logs/*"}, false, tri.True},
		{"StringLike", "aws:PrincipalOrgID", []string{"o-*"}, false, tri.False},
		{"StringEquals", "aws:PrincipalOrgID", []string{"o-a1b2c3d4e5"}, false, tri.True},
		{"ForAnyValue:StringLike", "aws:PrincipalOrgPaths", []string{"o-a1b2c3d4e5/r-ab12/*"}, false, tri.True},
		{"ForAnyValue:StringLike", "aws:PrincipalOrgPaths", []string{"*/r-ab12/*"}, false, tri.False},
		{"StringLike", "aws:SourceVpce", []string{"vpce-*"}, false, tri.False},
		{"StringLike", "aws:userid", []string{"AROAEXAMPLEID:*"}, false, tri.True},
		{"StringLike", "aws:userid", []string{"*:alice"}, false, tri.False},
		// A policy variable is a value of the request or resource.
		{"StringEquals", "aws:PrincipalOrgID", []string{"${aws:ResourceOrgID}"}, false, tri.True},
		{"StringLike", "aws:PrincipalAccount", []string{"${aws:ResourceAccount}"}, false, tri.True},
		// Negated tests admit everyone else, unless they exclude every
		// caller of a key every request carries.
		{"StringNotEquals", "aws:PrincipalAccount", []string{"444455556666"}, false, tri.False},
		{"ArnNotLike", "aws:PrincipalArn", []string{"arn:aws:iam::111122223333:*"}, false, tri.False},
		{"StringNotLike", "aws:PrincipalArn", []string{"*"}, false, tri.True},
		{"StringNotLike", "aws:SourceVpce", []string{"*"}, false, tri.False},
		// IfExists and ForAllValues hold when the key is absent.
		{"StringEqualsIfExists", "aws:PrincipalOrgID", []string{"o-a1b2c3d4e5"}, false, tri.False},
		{"StringEqualsIfExists", "aws:SourceVpce", []string{"vpce-1"}, false, tri.False},
		{"ForAllValues:StringEquals", "aws:SourceVpc", []string{"vpc-1"}, false, tri.False},
		{"StringEqualsIfExists", "aws:PrincipalAccount", []string{"111122223333"}, false, tri.True},
		{"ArnLikeIfExists", "aws:PrincipalArn", []string{"arn:aws:iam::*:role/x"}, false, tri.False},
		// Presence tests say nothing of who.
		{"Null", "aws:PrincipalOrgID", []string{"false"}, false, tri.False},
		// Networks.
		{"IpAddress", "aws:SourceIp", []string{"0.0.0.0/0"}, false, tri.False},
		{"IpAddress", "aws:SourceIp", []string{"::/0"}, false, tri.False},
		{"IpAddress", "aws:SourceIp", []string{"203.0.113.0/24"}, false, tri.True},
		{"NotIpAddress", "aws:SourceIp", []string{"203.0.113.0/24"}, false, tri.False},
		{"IpAddressIfExists", "aws:SourceIp", []string{"203.0.113.0/24"}, false, tri.False},
		// Keys that do not say who.
		{"StringEquals", "kms:ViaService", []string{"s3.eu-west-1.amazonaws.com"}, false, tri.False},
		{"StringEquals", "aws:username", []string{"alice"}, false, tri.False},
		{"StringEquals", "aws:PrincipalServiceName", []string{"cloudtrail.amazonaws.com"}, false, tri.False},
		// Values known only after apply.
		{"StringLike", "aws:PrincipalOrgID", nil, true, tri.Unknown},
		{"StringLike", "aws:PrincipalOrgID", []string{"o-a1b2c3d4e5"}, true, tri.Unknown},
		{"StringLike", "aws:PrincipalOrgID", []string{"*"}, true, tri.False},
		{"IpAddress", "aws:SourceIp", nil, true, tri.Unknown},
		{"StringNotEquals", "aws:PrincipalOrgID", nil, true, tri.False},
		{"StringNotLike", "aws:PrincipalArn", nil, true, tri.Unknown},
		// To StringEquals a value known only after apply (an endpoint's
		// id, a variable) is one fixed value.
		{"StringEquals", "aws:SourceVpce", nil, true, tri.True},
		{"StringEquals", "aws:PrincipalOrgID", []string{"o-a1b2c3d4e5"}, true, tri.True},
	}
	for _, tt := range tests {
		c := Condition{Operator: tt.op, Key: tt.key, Values: Strings{Values: tt.values, Unknown: tt.unknown}}
		if got := c.LimitsCaller(); got != tt.want {
			t.Errorf("%s %s %q (unknown %v): %v, want %v", tt.op, tt.key, tt.values, tt.unknown, got, tt.want)
		}
	}
}

// TestPrincipalKnownToBeAnARN: an AWS principal known only at apply whose
// beginning is known (arn:aws:iam:: + an account given at deploy, the
// caller's ARN) is not "*"; one not known at all may be.
func TestPrincipalKnownToBeAnARN(t *testing.T) {
	doc := func(principal *graph.Value) *Policy {
		return FromValue(graph.NewMap(map[string]*graph.Value{
			"Statement": graph.NewList(graph.NewMap(map[string]*graph.Value{
				"Effect":    graph.NewString("Allow"),
				"Principal": graph.NewMap(map[string]*graph.Value{"AWS": principal}),
				"Action":    graph.NewString("kms:*"),
				"Resource":  graph.NewString("*"),
			})),
		}), "p")
	}
	withPrefix := func(p string) *graph.Value {
		u := graph.NewUnknown()
		u.SetWhy(&graph.Unknowable{Reason: "given at deploy", Prefix: p})
		return u
	}
	tests := []struct {
		name      string
		principal *graph.Value
		maybe     int
	}{
		{"an ARN", withPrefix("arn:aws:iam::"), 0},
		{"an ARN in a list", graph.NewList(withPrefix("arn:aws:"), graph.NewString("arn:aws:iam::111122223333:root")), 0},
		{"nothing known", graph.NewUnknown(), 1},
		{"a list with one unknown", graph.NewList(withPrefix("arn:aws:"), graph.NewUnknown()), 1},
		{"a star prefix", withPrefix("*"), 1},
	}
	for _, tt := range tests {
		pub, maybe := PublicGrants(doc(tt.principal))
		if len(pub) != 0 || len(maybe) != tt.maybe {
			t.Errorf("%s: %d public, %d maybe; want 0, %d", tt.name, len(pub), len(maybe), tt.maybe)
		}
	}
}
