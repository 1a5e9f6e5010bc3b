package iam

import (
	"testing"
	"time"

	"github.com/eksguard/eksguard/internal/jsonpos"
	"github.com/eksguard/eksguard/internal/rule"
)

func pol(t *testing.T, doc string) *Policy {
	t.Helper()
	v, err := jsonpos.Parse([]byte(doc), "p.json")
	if err != nil {
		t.Fatal(err)
	}
	p := FromValue(v, "p.json")
	if len(p.Errors) > 0 {
		t.Fatalf("policy errors: %v", p.Errors)
	}
	return p
}

const (
	allowAll      = `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	allowS3Read   = `{"Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:List*"],"Resource":"arn:aws:s3:::data/*"}]}`
	denyIAM       = `{"Statement":[{"Effect":"Deny","Action":"iam:*","Resource":"*"}]}`
	allowAndDeny  = `{"Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"},{"Effect":"Deny","Action":"iam:PassRole","Resource":"*"}]}`
	notActionIAM  = `{"Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}`
	notResource   = `{"Statement":[{"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::audit-logs/*"}]}`
	condUnknown   = `{"Statement":[{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"*","Condition":{"StringEquals":{"aws:RequestTag/team":"web"}}}]}`
	passToEC2     = `{"Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}}]}`
	expired       = `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}}]}`
	oldToken      = `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:TokenIssueTime":"2020-01-01"}}}]}`
	oldTokenIfEx  = `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateLessThanIfExists":{"aws:TokenIssueTime":"2020-01-01T00:00:00Z"}}}]}`
	recentToken   = `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:TokenIssueTime":"1795348800"}}}]}`
	pastWindow    = `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2019-01-01T00:00:00Z"},"DateLessThan":{"aws:CurrentTime":["2020-01-01T00:00:00Z","2021-01-01T00:00:00Z"]}}}]}`
	futureWindow  = `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":["2020-01-01T00:00:00Z","2030-01-01T00:00:00Z"]}}}]}`
	denyMaybe     = `{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}]}`
	userVariable  = `{"Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"arn:aws:iam::111122223333:user/${aws:username}"}]}`
	boundaryEC2   = `{"Statement":[{"Effect":"Allow","Action":["ec2:*","s3:GetObject"],"Resource":"*"}]}`
	specificDeny  = `{"Statement":[{"Effect":"Deny","Action":"iam:CreateAccessKey","Resource":"arn:aws:iam::111122223333:user/root-like"}]}`
	notResStarDny = `{"Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","NotResource":"*"}]}`
)

// TestEvaluationLogic covers each rule of AWS's policy evaluation logic
// that applies to a principal in its own account.
func TestEvaluationLogic(t *testing.T) {
	now := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		identity []string
		boundary string
		req      Request
		want     rule.Tri
	}{
		{"no statement matches: implicit deny", []string{allowS3Read}, "", Request{Action: "s3:PutObject", Resource: "arn:aws:s3:::data/x"}, rule.False},
		{"action and resource match", []string{allowS3Read}, "", Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::data/x"}, rule.True},
		{"action wildcard, case-insensitive", []string{allowS3Read}, "", Request{Action: "S3:ListBucket", Resource: "arn:aws:s3:::data/x"}, rule.True},
		{"resource outside the pattern", []string{allowS3Read}, "", Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::other/x"}, rule.False},
		{"ARNs compare case-sensitively", []string{allowS3Read}, "", Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::DATA/x"}, rule.False},
		{"Allow and Deny of the same action in one policy", []string{allowAndDeny}, "", Request{Action: "iam:PassRole", Resource: "arn:aws:iam::1:role/x"}, rule.False},
		{"Deny in a second policy wins", []string{allowAll, denyIAM}, "", Request{Action: "iam:CreateUser", Resource: "arn:aws:iam::1:user/x"}, rule.False},
		{"Deny in a second policy leaves other actions", []string{allowAll, denyIAM}, "", Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}, rule.True},
		{"NotAction allows what it does not name", []string{notActionIAM}, "", Request{Action: "ec2:RunInstances", Resource: "*"}, rule.True},
		{"NotAction does not allow what it names", []string{notActionIAM}, "", Request{Action: "iam:PassRole", Resource: "*"}, rule.False},
		{"NotResource allows other resources", []string{notResource}, "", Request{Action: "s3:DeleteObject", Resource: "arn:aws:s3:::data/x"}, rule.True},
		{"NotResource excludes its resources", []string{notResource}, "", Request{Action: "s3:DeleteObject", Resource: "arn:aws:s3:::audit-logs/x"}, rule.False},
		{"boundary intersects: identity allows, boundary does not", []string{allowAll}, boundaryEC2, Request{Action: "iam:CreateUser", Resource: "*"}, rule.False},
		{"boundary intersects: both allow", []string{allowAll}, boundaryEC2, Request{Action: "ec2:RunInstances", Resource: "*"}, rule.True},
		{"boundary alone grants nothing", []string{allowS3Read}, boundaryEC2, Request{Action: "ec2:RunInstances", Resource: "*"}, rule.False},
		{"deny in a boundary denies", []string{allowAll}, denyIAM, Request{Action: "iam:CreateUser", Resource: "*"}, rule.False},
		{"condition on an unknown key: possible", []string{condUnknown}, "", Request{Action: "ec2:RunInstances", Resource: "*"}, rule.TriUnknown},
		{"condition decided by the request context", []string{passToEC2}, "", Request{Action: "iam:PassRole", Resource: "*", Context: map[string][]string{"iam:PassedToService": {"ec2.amazonaws.com"}}}, rule.True},
		{"condition false for the request context", []string{passToEC2}, "", Request{Action: "iam:PassRole", Resource: "*", Context: map[string][]string{"iam:passedtoservice": {"lambda.amazonaws.com"}}}, rule.False},
		{"a condition that can never hold again", []string{expired}, "", Request{Action: "iam:CreateUser", Resource: "*", Now: now}, rule.False},
		{"no token in use was issued before 2020", []string{oldToken}, "", Request{Action: "iam:CreateUser", Resource: "*", Now: now}, rule.False},
		{"IfExists: long-term keys carry no token and pass", []string{oldTokenIfEx}, "", Request{Action: "iam:CreateUser", Resource: "*", Now: now}, rule.TriUnknown},
		{"a token issued within the last 36 hours may meet it", []string{recentToken}, "", Request{Action: "iam:CreateUser", Resource: "*", Now: now}, rule.TriUnknown},
		{"a token test without a clock: possible", []string{oldToken}, "", Request{Action: "iam:CreateUser", Resource: "*"}, rule.TriUnknown},
		{"a time window wholly past", []string{pastWindow}, "", Request{Action: "iam:CreateUser", Resource: "*", Now: now}, rule.False},
		{"a window one of whose ends is still ahead", []string{futureWindow}, "", Request{Action: "iam:CreateUser", Resource: "*", Now: now}, rule.TriUnknown},
		{"a deny that may apply makes an allow possible only", []string{allowAll, denyMaybe}, "", Request{Action: "iam:CreateUser", Resource: "*"}, rule.TriUnknown},
		{"policy variable: possible", []string{userVariable}, "", Request{Action: "iam:CreateAccessKey", Resource: "arn:aws:iam::111122223333:user/bob"}, rule.TriUnknown},
		{"policy variable resolved for the acting user", []string{userVariable}, "", Request{Action: "iam:CreateAccessKey", Resource: "arn:aws:iam::111122223333:user/bob", Context: map[string][]string{"aws:username": {"bob"}}}, rule.True},
		{"policy variable resolved: another user's keys", []string{userVariable}, "", Request{Action: "iam:CreateAccessKey", Resource: "arn:aws:iam::111122223333:user/admin", Context: map[string][]string{"aws:username": {"bob"}}}, rule.False},
		{"policy variable absent from the request (a role has no username)", []string{userVariable}, "", Request{Action: "iam:CreateAccessKey", Resource: "arn:aws:iam::111122223333:user/bob", Context: map[string][]string{"aws:username": nil}}, rule.False},
		{"some resource: a specific allow counts", []string{userVariable}, "", Request{Action: "iam:CreateAccessKey", AnyResource: true}, rule.True},
		{"some resource: a specific deny leaves others", []string{allowAll, specificDeny}, "", Request{Action: "iam:CreateAccessKey", AnyResource: true}, rule.True},
		{"some resource: NotResource * leaves none", []string{notResStarDny}, "", Request{Action: "iam:CreateAccessKey", AnyResource: true}, rule.False},
	}
	for _, tt := range tests {
		var ps PolicySet
		for _, d := range tt.identity {
			ps.Identity = append(ps.Identity, pol(t, d))
		}
		if tt.boundary != "" {
			ps.Boundary = pol(t, tt.boundary)
		}
		if got := Evaluate(ps, tt.req).Allowed; got != tt.want {
			t.Errorf("%s: Allowed = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestUnknownPolicy(t *testing.T) {
	ps := PolicySet{Identity: []*Policy{{Unknown: true}}}
	if got := Evaluate(ps, Request{Action: "iam:CreateUser", Resource: "*"}).Allowed; got != rule.TriUnknown {
		t.Errorf("a policy not knowable from code: %v, want unknown", got)
	}
	ps = PolicySet{Identity: []*Policy{pol(t, allowAll)}, Boundary: &Policy{Unknown: true}}
	if got := Evaluate(ps, Request{Action: "iam:CreateUser", Resource: "*"}).Allowed; got != rule.TriUnknown {
		t.Errorf("a boundary not knowable from code: %v, want unknown", got)
	}
}

func TestDecisionCitesStatements(t *testing.T) {
	d := Evaluate(PolicySet{Identity: []*Policy{pol(t, allowAll), pol(t, denyIAM)}}, Request{Action: "iam:PassRole", Resource: "*"})
	if len(d.Allows) != 1 || len(d.Denies) != 1 || d.Denies[0].Range.Line != 1 {
		t.Errorf("allows %d, denies %d", len(d.Allows), len(d.Denies))
	}
}

func TestGlob(t *testing.T) {
	for _, tt := range []struct {
		p, s string
		fold bool
		want bool
	}{
		{"*", "", false, true},
		{"iam:*", "iam:PassRole", false, true},
		{"iam:Pass*", "IAM:passrole", true, true},
		{"iam:Pass*", "IAM:passrole", false, false},
		{"ec2:?escribe*", "ec2:DescribeInstances", false, true},
		{"arn:aws:s3:::b/*/x", "arn:aws:s3:::b/a/b/x", false, true},
		{"a*b*c*d", "aXbYcZ", false, false},
		{"**a", "bba", false, true},
		// A star facing a literal '*' (an account replaced by *) still
		// matches any run, not just that character.
		{"arn:aws:iam::*", "arn:aws:iam::*:role/x", false, true},
		{"arn:aws:iam::*:role/*", "arn:aws:iam::*:role/x", false, true},
		{"arn:aws:iam::123456789012:*", "arn:aws:iam::*:role/x", false, false},
		// IRSA trust conditions on the token's sub claim (K8S-035).
		{"system:serviceaccount:team-*:api", "system:serviceaccount:team-a:api", false, true},
		{"system:serviceaccount:team-?:api", "system:serviceaccount:team-ab:api", false, false},
		{"system:serviceaccount:*", "system:serviceaccount:x:y", false, true},
		{"*:*:*", "a:b", false, false},
		{"a*b*c", "aXbYbZc", false, true},
		{"exact", "exact", false, true},
		{"exact", "exactly", false, false},
		{"", "", false, true},
		{"*", "", false, true},
	} {
		if got := Glob(tt.p, tt.s, tt.fold); got != tt.want {
			t.Errorf("Glob(%q, %q, %v) = %v", tt.p, tt.s, tt.fold, got)
		}
	}
}
