package iam

import (
	"testing"
	"time"

	"github.com/eksguard/eksguard/internal/jsonpos"
	"github.com/eksguard/eksguard/internal/tri"
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
		want     tri.Tri
	}{
		{"no statement matches: implicit deny", []string{allowS3Read}, "", Request{Action: "s3:PutObject", Resource: "arn:aws:s3:::data/x"}, tri.False},
		{"action and resource match", []string{allowS3Read}, "", Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::data/x"}, tri.True},
		{"action wildcard, case-insensitive", []string{allowS3Read}, "", Request{Action: "S3:ListBucket", Resource: "arn:aws:s3:::data/x"}, tri.True},
		{"resource outside the pattern", []string{allowS3Read}, "", Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::other/x"}, tri.False},
		{"ARNs compare case-sensitively", []string{allowS3Read}, "", Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::DATA/x"}, tri.False},
		{"Allow and Deny of the same action in one policy", []string{allowAndDeny}, "", Request{Action: "iam:PassRole", Resource: "arn:aws:iam::1:role/x"}, tri.False},
		{"Deny in a second policy wins", []string{allowAll, denyIAM}, "", Request{Action: "iam:CreateUser", Resource: "arn:aws:iam::1:user/x"}, tri.False},
		{"Deny in a second policy leaves other actions", []string{allowAll, denyIAM}, "", Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}, tri.True},
		{"NotAction allows what it does not name", []string{notActionIAM}, "", Request{Action: "ec2:RunInstances", Resource: "*"}, tri.True},
		{"NotAction does not allow what it names", []string{notActionIAM}, "", Request{Action: "iam:PassRole", Resource: "*"}, tri.False},
		{"NotResource allows other resources", []string{notResource}, "", Request{Action: "s3:DeleteObject", Resource: "arn:aws:s3:::data/x"}, tri.True},
		{"NotResource excludes its resources", []string{notResource}, "", Request{Action: "s3:DeleteObject", Resource: "arn:aws:s3:::audit-logs/x"}, tri.False},
		{"boundary intersects: identity allows, boundary does not", []string{allowAll}, boundaryEC2, Request{Action: "iam:CreateUser", Resource: "*"}, tri.False},
		{"boundary intersects: both allow", []string{allowAll}, boundaryEC2, Request{Action: "ec2:RunInstances", Resource: "*"}, tri.True},
		{"boundary alone grants nothing", []string{allowS3Read}, boundaryEC2, Request{Action: "ec2:RunInstances", Resource: "*"}, tri.False},
		{"deny in a boundary denies", []string{allowAll}, denyIAM, Request{Action: "iam:CreateUser", Resource: "*"}, tri.False},
		{"condition on an unknown key: possible", []string{condUnknown}, "", Request{Action: "ec2:RunInstances", Resource: "*"}, tri.Unknown},
		{"condition decided by the request context", []string{passToEC2}, "", Request{Action: "iam:PassRole", Resource: "*", Context: map[string][]string{"iam:PassedToService": {"ec2.amazonaws.com"}}}, tri.True},
		{"condition false for the request context", []string{passToEC2}, "", Request{Action: "iam:PassRole", Resource: "*", Context: map[string][]string{"iam:passedtoservice": {"lambda.amazonaws.com"}}}, tri.False},
		{"a condition that can never hold again", []string{expired}, "", Request{Action: "iam:CreateUser", Resource: "*", Now: now}, tri.False},
		{"no token in use was issued before 2020", []string{oldToken}, "", Request{Action: "iam:CreateUser", Resource: "*", Now: now}, tri.False},
		{"IfExists: long-term keys carry no token and pass", []string{oldTokenIfEx}, "", Request{Action: "iam:CreateUser", Resource: "*", Now: now}, tri.Unknown},
		{"a token issued within the last 36 hours may meet it", []string{recentToken}, "", Request{Action: "iam:CreateUser", Resource: "*", Now: now}, tri.Unknown},
		{"a token test without a clock: possible", []string{oldToken}, "", Request{Action: "iam:CreateUser", Resource: "*"}, tri.Unknown},
		{"a time window wholly past", []string{pastWindow}, "", Request{Action: "iam:CreateUser", Resource: "*", Now: now}, tri.False},
		{"a window one of whose ends is still ahead", []string{futureWindow}, "", Request{Action: "iam:CreateUser", Resource: "*", Now: now}, tri.Unknown},
		{"a deny that may apply makes an allow possible only", []string{allowAll, denyMaybe}, "", Request{Action: "iam:CreateUser", Resource: "*"}, tri.Unknown},
		{"policy variable: possible", []string{userVariable}, "", Request{Action: "iam:CreateAccessKey", Resource: "arn:aws:iam::111122223333:user/bob"}, tri.Unknown},
		{"policy variable resolved for the acting user", []string{userVariable}, "", Request{Action: "iam:CreateAccessKey", Resource: "arn:aws:iam::111122223333:user/bob", Context: map[string][]string{"aws:username": {"bob"}}}, tri.True},
		{"policy variable resolved: another user's keys", []string{userVariable}, "", Request{Action: "iam:CreateAccessKey", Resource: "arn:aws:iam::111122223333:user/admin", Context: map[string][]string{"aws:username": {"bob"}}}, tri.False},
		{"policy variable absent from the request (a role has no username)", []string{userVariable}, "", Request{Action: "iam:CreateAccessKey", Resource: "arn:aws:iam::111122223333:user/bob", Context: map[string][]string{"aws:username": nil}}, tri.False},
		{"some resource: a specific allow counts", []string{userVariable}, "", Request{Action: "iam:CreateAccessKey", AnyResource: true}, tri.True},
		{"some resource: a specific deny leaves others", []string{allowAll, specificDeny}, "", Request{Action: "iam:CreateAccessKey", AnyResource: true}, tri.True},
		{"some resource: NotResource * leaves none", []string{notResStarDny}, "", Request{Action: "iam:CreateAccessKey", AnyResource: true}, tri.False},
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
	if got := Evaluate(ps, Request{Action: "iam:CreateUser", Resource: "*"}).Allowed; got != tri.Unknown {
		t.Errorf("a policy not knowable from code: %v, want unknown", got)
	}
	ps = PolicySet{Identity: []*Policy{pol(t, allowAll)}, Boundary: &Policy{Unknown: true}}
	if got := Evaluate(ps, Request{Action: "iam:CreateUser", Resource: "*"}).Allowed; got != tri.Unknown {
		t.Errorf("a boundary not knowable from code: %v, want unknown", got)
	}
}

func TestDecisionCitesStatements(t *testing.T) {
	d := Evaluate(PolicySet{Identity: []*Policy{pol(t, allowAll), pol(t, denyIAM)}}, Request{Action: "iam:PassRole", Resource: "*"})
	if len(d.Allows) != 1 || len(d.Denies) != 1 || d.Denies[0].Range.Line != 1 {
		t.Errorf("allows %d, denies %d", len(d.Allows), len(d.Denies))
	}
}
