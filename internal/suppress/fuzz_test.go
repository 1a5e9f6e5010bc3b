package suppress

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eksguard/eksguard/internal/testutil/fuzzing"
)

var asOf = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// lineOf returns line n (1-based) of data, without its line break.
func lineOf(data []byte, n int) string {
	for i := 1; i < n; i++ {
		j := bytes.IndexByte(data, '\n')
		if j < 0 {
			return ""
		}
		data = data[j+1:]
	}
	if j := bytes.IndexByte(data, '\n'); j >= 0 {
		data = data[:j]
	}
	return string(data)
}

// FuzzInline: arbitrary bytes as a source file holding eksguard:ignore
// comments. No panic; reading and matching end within bounds; every
// diagnostic and suppression names the file and a line of it; a kept
// suppression names a rule and gives a reason, and its rules, reason,
// owner and expiry are text of the line it is written on; a suppression
// that matches covers the finding's rule.
func FuzzInline(f *testing.F) {
	for _, s := range []string{
		`# eksguard:ignore DATA-031 reason="public marketing site, reviewed in SEC-88" expires=2027-06-30 owner=web-team`,
		"resource \"a\" \"b\" { # eksguard:ignore DATA-011 reason=\"shared with the vendor\"\n  x = 1\n}\n",
		"# eksguard:ignore DATA-011\nx = 1\n",
		"# eksguard:ignore DATA-011 reason=\"vendor trial\" expires=2026-01-31\n",
		"  // eksguard:ignore IAM-*,NET-00? reason=x expires=2026-13-45 owner=\n",
		"# eksguard:ignore , reason=\"\"\n# eksguard:ignore A reason=\"unterminated\n",
		"\ufeff# eksguard:ignore K8S-010 reason=\"node\x00agent\"\r\n",
		"# eksguard:ignore " + strings.Repeat("R,", 5000) + " reason=" + strings.Repeat("x", 64<<10) + "\n",
		strings.Repeat("# eksguard:ignore A reason=b\n", 2000),
		"x = 1 # eksguard:ignore * reason=all reason=twice expires=2026-06-01 expires=9999-12-31\n",
		"# eksguard:ignore " + strings.Repeat("*a", 1000) + " reason=glob\n",
	} {
		f.Add([]byte(s), "DATA-011", 2)
	}
	f.Fuzz(func(t *testing.T, data []byte, ruleID string, line int) {
		file := filepath.Join(t.TempDir(), "main.tf")
		if err := os.WriteFile(file, data, 0o644); err != nil {
			t.Fatal(err)
		}
		defer fuzzing.Watchdog("reading", len(data))()
		s := New()
		active, _ := s.Match(Finding{RuleID: ruleID, Resource: "a.b", File: file, Line: line, ResourceLine: line - 1, AttrLines: []int{line + 1}}, asOf)
		if active != nil && !active.covers(ruleID) {
			t.Fatalf("suppression %v matched rule %q", active.Rules, ruleID)
		}
		lines := bytes.Count(data, []byte{'\n'}) + 1
		for _, d := range s.Diags {
			if d.File != file || d.Line < 1 || d.Line > lines {
				t.Fatalf("diagnostic not in the input (%d lines): %s", lines, d)
			}
		}
		for _, sup := range s.Statuses(asOf) {
			if sup.File != file || sup.Line < 1 || sup.Line > lines || !sup.Inline {
				t.Fatalf("suppression at %s:%d, outside the input (%d lines)", sup.File, sup.Line, lines)
			}
			if len(sup.Rules) == 0 || strings.TrimSpace(sup.Reason) == "" {
				t.Fatalf("line %d: suppression kept without rule or reason: %+v", sup.Line, sup)
			}
			text := lineOf(data, sup.Line)
			for _, part := range append([]string{sup.Reason, sup.Owner, sup.Expires}, sup.Rules...) {
				if !strings.Contains(text, part) {
					t.Fatalf("line %d: %q is not on the line %q", sup.Line, part, text)
				}
			}
		}
	})
}

// FuzzConfig: arbitrary bytes as .eksguard.yaml, matched against an
// arbitrary finding. No panic; it ends within bounds; every diagnostic and
// suppression names the file and a line of it; a kept suppression names a
// rule and gives a reason; a suppression that matches covers the rule.
func FuzzConfig(f *testing.F) {
	for _, s := range []string{
		"suppressions:\n  - rule: DATA-031\n    resource: aws_cloudfront_distribution.website\n    reason: public marketing site, reviewed in SEC-88\n    expires: 2027-06-30\n    owner: web-team\n",
		"suppressions:\n  - rule: NET-*\n    reason: no network resources here yet\n  - rule: DATA-011\n    resource: aws_secretsmanager_secret_policy.other\n    reason: not this one\n",
		"suppressions:\n  - rule: DATA-0*\n    resource: aws_secretsmanager_secret_policy.*\n    path: \"*.tf\"\n    reason: secrets shared with the vendor, approved in SEC-123\n    owner: data-team\n",
		"suppressions:\n  - rule: 12\n    reason: 3.5\n    expires: 2026-02-30\n  - {}\n  - rule: [a]\n    reason: {a: b}\n",
		"suppressions: {rule: a, reason: b}\n",
		"suppressions:\n  - &s {rule: A, reason: b, resource: \"" + strings.Repeat("*a", 500) + "\"}\n  - *s\n",
		"\ufeffsuppressions:\n  - rule: \"A\\0\"\n    reason: \"\x00\"\n",
		"suppressions: " + strings.Repeat("[", 300) + strings.Repeat("]", 300) + "\n",
		"a: 1\n---\nsuppressions:\n  - rule: A\n    reason: b\n",
	} {
		f.Add([]byte(s), "DATA-011", "aws_s3_bucket.b", "main.tf")
	}
	f.Fuzz(func(t *testing.T, data []byte, ruleID, resource, findingFile string) {
		path := filepath.Join(t.TempDir(), ".eksguard.yaml")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		defer fuzzing.Watchdog("reading", len(data))()
		s := New()
		s.LoadConfig(path)
		// The finding's file does not exist: only the config can match.
		active, _ := s.Match(Finding{RuleID: ruleID, Resource: resource, File: filepath.Join(filepath.Dir(path), "absent", findingFile)}, asOf)
		if active != nil && !active.covers(ruleID) {
			t.Fatalf("suppression %v matched rule %q", active.Rules, ruleID)
		}
		lines := fuzzing.YAMLLines(data)
		for _, d := range s.Diags {
			if d.File != path || d.Line < 0 || d.Line > lines {
				t.Fatalf("diagnostic not in the input (%d lines): %s", lines, d)
			}
		}
		for _, sup := range s.Statuses(asOf) {
			if sup.File != path || sup.Line < 1 || sup.Line > lines || sup.Inline {
				t.Fatalf("suppression at %s:%d, outside the input (%d lines)", sup.File, sup.Line, lines)
			}
			if len(sup.Rules) == 0 || strings.TrimSpace(sup.Reason) == "" {
				t.Fatalf("line %d: suppression kept without rule or reason: %+v", sup.Line, sup)
			}
		}
	})
}
