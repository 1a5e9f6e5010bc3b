package catalog

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func names(as []Action) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.String()
	}
	return out
}

func TestLookupKnown(t *testing.T) {
	a, ok := Lookup("iam:PassRole")
	if !ok {
		t.Fatal("iam:PassRole not found")
	}
	if a.Service != "iam" || a.Name != "PassRole" || a.String() != "iam:PassRole" {
		t.Errorf("got %q/%q/%q", a.Service, a.Name, a.String())
	}
	if want := []ResourceType{{Name: "role", Required: true}}; !slices.Equal(a.Resources, want) {
		t.Errorf("resources %v, want %v", a.Resources, want)
	}
	if !slices.Contains(a.ConditionKeys, "iam:PassedToService") {
		t.Errorf("condition keys %v lack iam:PassedToService", a.ConditionKeys)
	}
}

func TestAccessLevels(t *testing.T) {
	for action, want := range map[string]AccessLevel{
		"iam:PassRole":            Write,
		"iam:CreatePolicyVersion": PermissionsManagement,
		"iam:AttachRolePolicy":    PermissionsManagement,
		"iam:TagRole":             Tagging,
		"s3:GetObject":            Read,
		"s3:ListBucket":           List,
		"s3:PutBucketPolicy":      PermissionsManagement,
		"eks:DescribeCluster":     Read,
	} {
		a, ok := Lookup(action)
		if !ok {
			t.Errorf("%s not found", action)
			continue
		}
		if a.Access != want {
			t.Errorf("%s: access %q, want %q", action, a.Access, want)
		}
	}
}

func TestCaseInsensitive(t *testing.T) {
	for _, in := range []string{"iam:passrole", "IAM:PASSROLE", "Iam:PassRole"} {
		a, ok := Lookup(in)
		if !ok || a.String() != "iam:PassRole" {
			t.Errorf("Lookup(%q) = %q, %v; want iam:PassRole", in, a.String(), ok)
		}
	}
	if !KnownService("IAM") || !KnownService("s3") {
		t.Error("KnownService is case-sensitive or misses iam/s3")
	}
	if got := names(Expand("IAM:put*")); len(got) == 0 || !slices.Equal(got, names(Expand("iam:Put*"))) {
		t.Errorf("Expand differs by case: %v", got)
	}
	if arn, ok := ResourceARNPattern("IAM", "Role"); !ok || arn != "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}" {
		t.Errorf("ResourceARNPattern(IAM, Role) = %q, %v", arn, ok)
	}
}

func TestUnknown(t *testing.T) {
	for _, in := range []string{"", ":", "iam", "iam:", "iam:PassRoles", "nosuchservice:GetThing", "iam:Pass*", "iam :PassRole", "iam:PassRole\x00", "iam:PassRole " + strings.Repeat("x", 300)} {
		if a, ok := Lookup(in); ok {
			t.Errorf("Lookup(%q) found %v", in, a)
		}
	}
	for _, in := range []string{"", "nosuchservice", "iam:", "*", "ia?"} {
		if KnownService(in) {
			t.Errorf("KnownService(%q) = true", in)
		}
	}
	for _, in := range []string{"", "iam", "iam*", "nosuchservice:*", "nosuch*:Get*", "iam:PassRoles*", "iam:", "iam:Get:*"} {
		if got := Expand(in); len(got) != 0 {
			t.Errorf("Expand(%q) = %v, want none", in, names(got))
		}
	}
	if _, ok := ResourceARNPattern("iam", "nosuchtype"); ok {
		t.Error("ResourceARNPattern found iam/nosuchtype")
	}
	if _, ok := ResourceARNPattern("nosuchservice", "role"); ok {
		t.Error("ResourceARNPattern found nosuchservice/role")
	}
}

func TestExpand(t *testing.T) {
	tests := []struct {
		pattern string
		want    []string
	}{
		{"iam:Put*", []string{
			"iam:PutAccountProperties", "iam:PutGroupPolicy", "iam:PutRolePermissionsBoundary",
			"iam:PutRolePolicy", "iam:PutUserPermissionsBoundary", "iam:PutUserPolicy",
		}},
		{"iam:Put?olePolicy", []string{"iam:PutRolePolicy"}},
		{"iam:Put*Policy", []string{"iam:PutGroupPolicy", "iam:PutRolePolicy", "iam:PutUserPolicy"}},
		{"iam:passrole", []string{"iam:PassRole"}},
		{"i?m:PassRole", []string{"iam:PassRole"}},
	}
	for _, tt := range tests {
		if got := names(Expand(tt.pattern)); !slices.Equal(got, tt.want) {
			t.Errorf("Expand(%q) = %v, want %v", tt.pattern, got, tt.want)
		}
	}

	// Independent count: filter the service's full list by hand.
	var describe int
	for _, a := range Expand("ec2:*") {
		if a.Service != "ec2" {
			t.Fatalf("ec2:* gave %s", a)
		}
		if strings.HasPrefix(a.Name, "Describe") {
			describe++
		}
	}
	if got := Expand("ec2:?escribe*"); len(got) != describe || describe < 100 {
		t.Errorf("ec2:?escribe* gave %d, ec2 has %d Describe actions", len(got), describe)
	}

	got := names(Expand("*:GetObject"))
	for _, want := range []string{"s3:GetObject", "s3-object-lambda:GetObject"} {
		if !slices.Contains(got, want) {
			t.Errorf("*:GetObject lacks %s: %v", want, got)
		}
	}
	for _, a := range Expand("s3*:*") {
		if !strings.HasPrefix(a.Service, "s3") {
			t.Errorf("s3*:* gave %s", a)
		}
	}
}

func TestExpandAll(t *testing.T) {
	all := Expand("*")
	if len(all) < 15000 {
		t.Fatalf("Expand(*) = %d actions, want the whole catalog", len(all))
	}
	if n := len(Expand("*:*")); n != len(all) {
		t.Errorf("*:* = %d, * = %d", n, len(all))
	}
	sum := 0
	for _, s := range Services() {
		n := len(Expand(s + ":*"))
		if n == 0 {
			t.Errorf("service %s has no actions", s)
		}
		sum += n
	}
	if sum != len(all) {
		t.Errorf("services add up to %d actions, * gives %d", sum, len(all))
	}
	less := func(a, b Action) int {
		if c := strings.Compare(a.Service, b.Service); c != 0 {
			return c
		}
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	}
	if !slices.IsSortedFunc(all, less) {
		t.Error("Expand(*) is not sorted by service, then name")
	}
	levels := map[AccessLevel]int{}
	for i, a := range all {
		if i > 0 && less(all[i-1], a) == 0 {
			t.Errorf("duplicate %s", a)
		}
		if b, ok := Lookup(a.String()); !ok || b.String() != a.String() {
			t.Errorf("%s does not round-trip through Lookup", a)
		}
		levels[a.Access]++
		for _, r := range a.Resources {
			if _, ok := ResourceARNPattern(a.Service, r.Name); !ok {
				t.Errorf("%s: resource type %q has no ARN pattern", a, r.Name)
			}
		}
	}
	for _, l := range []AccessLevel{List, Read, Write, PermissionsManagement, Tagging} {
		if levels[l] == 0 {
			t.Errorf("no action has access level %q", l)
		}
	}
	if len(levels) != 5 {
		t.Errorf("access levels %v, want exactly 5", levels)
	}
}

func TestServices(t *testing.T) {
	s := Services()
	if !slices.IsSorted(s) || len(s) < 300 {
		t.Errorf("Services() has %d, sorted %v", len(s), slices.IsSorted(s))
	}
	for _, want := range []string{"eks", "iam", "s3", "sts", "kms", "ec2"} {
		if !slices.Contains(s, want) || !KnownService(want) {
			t.Errorf("service %s missing", want)
		}
	}
	s[0] = "mutated"
	if Services()[0] == "mutated" {
		t.Error("Services() shares its slice")
	}
}

func TestVersion(t *testing.T) {
	if !regexp.MustCompile(`^\d+\.\d+\.\d+$`).MatchString(Version()) {
		t.Errorf("Version() = %q", Version())
	}
	if _, err := time.Parse(time.DateOnly, Generated()); err != nil {
		t.Errorf("Generated() = %q: %v", Generated(), err)
	}
}

func TestMatch(t *testing.T) {
	for _, tt := range []struct {
		p, n string
		want bool
	}{
		{"*", "", true}, {"*", "abc", true}, {"", "", true}, {"", "a", false},
		{"?", "", false}, {"?", "a", true}, {"?", "ab", false},
		{"a*c", "abc", true}, {"a*c", "ac", true}, {"a*c", "acb", false},
		{"a*b*c", "axxbyyc", true}, {"a*b*c", "axxbyy", false},
		{"*ab", "aab", true}, {"*a?b", "xaab", true}, {"*a?b", "xab", false}, {"*a?b", "xaxb", true},
		{"get*", "getobject", true}, {"get*", "putobject", false},
		{"**", "x", true}, {"?*", "", false},
	} {
		if got := match(tt.p, tt.n); got != tt.want {
			t.Errorf("match(%q, %q) = %v, want %v", tt.p, tt.n, got, tt.want)
		}
	}
}

// The cache is shared; the race detector checks it under concurrent use.
func TestExpandConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				p := fmt.Sprintf("ec2:%c*", 'a'+(g+i)%26)
				first := len(Expand(p))
				if again := len(Expand(p)); again != first {
					t.Errorf("%s: %d then %d", p, first, again)
				}
			}
		})
	}
	wg.Wait()
}

func TestParseRejectsMalformed(t *testing.T) {
	if _, err := parse([]byte("not gzip")); err == nil {
		t.Error("parse accepted non-gzip input")
	}
}

func BenchmarkLookup(b *testing.B) {
	Lookup("iam:PassRole")
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := Lookup("IAM:passRole"); !ok {
			b.Fatal("not found")
		}
	}
}

func BenchmarkExpand(b *testing.B) {
	for _, p := range []string{"*", "s3:*", "iam:PassRole", "iam:Put*", "ec2:?escribe*", "*:Get*"} {
		b.Run(p, func(b *testing.B) {
			Expand(p)
			b.ReportAllocs()
			for b.Loop() {
				if len(Expand(p)) == 0 {
					b.Fatal("empty")
				}
			}
		})
	}
	// What a cache miss costs.
	for _, p := range []string{"iam:put*", "ec2:?escribe*", "*:get*"} {
		b.Run("uncached/"+p, func(b *testing.B) {
			c := get()
			b.ReportAllocs()
			for b.Loop() {
				c.expand(p)
			}
		})
	}
}

func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parse(compressed); err != nil {
			b.Fatal(err)
		}
	}
}
