package glob

import "testing"

func TestMatch(t *testing.T) {
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
		if got := Match(tt.p, tt.s, tt.fold); got != tt.want {
			t.Errorf("Match(%q, %q, %v) = %v", tt.p, tt.s, tt.fold, got)
		}
	}
}
