package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/iam/escalate"
)

const escFixtures = "../iam/escalate/testdata/"

// iamPathsFixture writes a small repository exercising every field of the
// JSON output: a certain chain through an assumed role, an administrator
// by an AWS managed policy, a crown jewel, a possible hop through an AWS
// managed policy eksguard does not know (one AWS would publish after the
// embedded data, named here for the test), a for_each role whose label
// needs escaping in Mermaid, and an unreadable input.
func iamPathsFixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	tf := `resource "aws_iam_policy" "deploy" {
  name = "deploy"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Sid = "Versions", Effect = "Allow", Action = "iam:CreatePolicyVersion", Resource = "*" }]
  })
}

resource "aws_iam_role" "ci" {
  name = "ci"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::*:user/dev" } }]
  })
}

resource "aws_iam_role_policy_attachment" "ci" {
  role       = aws_iam_role.ci.name
  policy_arn = aws_iam_policy.deploy.arn
}

resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_role" "admin" {
  name = "admin"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_role" "billing" {
  name = "billing"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::*:user/auditor" } }]
  })
}

resource "aws_iam_user" "auditor" {
  name = "auditor"
}

resource "aws_iam_role" "svc" {
  for_each = toset(["a"])
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "svc" {
  for_each   = aws_iam_role.svc
  role       = each.value.name
  policy_arn = "arn:aws:iam::aws:policy/ExamplePublishedLaterAccess"
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(tf), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "bad.json"), []byte(`{"Statement": [`), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestIAMPathsText(t *testing.T) {
	code, out, stderr := run(t, "", "iam", "paths", "--as-of", "2026-11-22", escFixtures+"trap-assume-chain")
	if code != ExitGate {
		t.Fatalf("exit %d, want 1 (a certain path)\n%s%s", code, out, stderr)
	}
	f := escFixtures + "trap-assume-chain/main.tf"
	want := "role a -[sts:AssumeRole]-> role b -[sts:AssumeRole]-> role c -[administrator]-> administrator (certain)\n" +
		"    role a -[sts:AssumeRole]-> role b (certain): assumes role b; granted at " + f + ":18\n" +
		"    role b -[sts:AssumeRole]-> role c (certain): assumes role c; granted at " + f + ":26\n" +
		"    role c -[administrator]-> administrator (certain): its policies allow every action on every resource; granted at " + f + ":32 (arn:aws:iam::aws:policy/AdministratorAccess)\n" +
		"\n" +
		"role b -[sts:AssumeRole]-> role c -[administrator]-> administrator (certain)\n" +
		"    role b -[sts:AssumeRole]-> role c (certain): assumes role c; granted at " + f + ":26\n" +
		"    role c -[administrator]-> administrator (certain): its policies allow every action on every resource; granted at " + f + ":32 (arn:aws:iam::aws:policy/AdministratorAccess)\n" +
		"\n" +
		"user dev -[sts:AssumeRole]-> role a -[sts:AssumeRole]-> role b -[sts:AssumeRole]-> role c -[administrator]-> administrator (certain)\n" +
		"    user dev -[sts:AssumeRole]-> role a (certain): assumes role a; granted at " + f + ":10\n" +
		"    role a -[sts:AssumeRole]-> role b (certain): assumes role b; granted at " + f + ":18\n" +
		"    role b -[sts:AssumeRole]-> role c (certain): assumes role c; granted at " + f + ":26\n" +
		"    role c -[administrator]-> administrator (certain): its policies allow every action on every resource; granted at " + f + ":32 (arn:aws:iam::aws:policy/AdministratorAccess)\n" +
		"\n" +
		"Administrators:\n" +
		"    role c: " + f + ":32 (arn:aws:iam::aws:policy/AdministratorAccess)\n" +
		"\n" +
		"3 paths to administrator (3 certain, 0 possible).\n"
	if out != want {
		t.Errorf("text output:\n%s\nwant:\n%s", out, want)
	}
}

func TestIAMPathsExitStatus(t *testing.T) {
	for _, c := range []struct {
		args []string
		want int
	}{
		{[]string{"iam", "paths", escFixtures + "trap-boundary-blocks"}, ExitOK},                 // no path
		{[]string{"iam", "paths", escFixtures + "trap-condition-unknown"}, ExitOK},               // possible only
		{[]string{"iam", "paths", escFixtures + "trap-notaction"}, ExitGate},                     // certain
		{[]string{"iam", "paths", "--format", "json", escFixtures + "trap-notaction"}, ExitGate}, // any format
		{[]string{"iam", "paths", "does-not-exist.tf"}, ExitInput},
		{[]string{"iam", "paths", escFixtures + "trap-boundary-blocks", "does-not-exist.tf"}, ExitInput},
		{[]string{"iam", "paths", escFixtures + "trap-notaction", "does-not-exist.tf"}, ExitGate}, // a certain path wins
		{[]string{"iam", "paths"}, ExitUsage},
		{[]string{"iam", "paths", "--format", "sarif", "."}, ExitUsage},
		{[]string{"iam", "paths", "--var", "novalue", "."}, ExitUsage},
		{[]string{"iam", "paths", "--as-of", "yesterday", "."}, ExitUsage},
		{[]string{"iam"}, ExitUsage},
		{[]string{"iam", "policies"}, ExitUsage},
		{[]string{"iam", "paths", "-h"}, ExitOK},
	} {
		if code, out, stderr := run(t, "", c.args...); code != c.want {
			t.Errorf("%v: exit %d, want %d\n%s%s", c.args, code, c.want, out, stderr)
		}
	}
	// The possible path is still listed.
	_, out, _ := run(t, "", "iam", "paths", escFixtures+"trap-condition-unknown")
	if !strings.Contains(out, "role ops -[iam:AttachRolePolicy]-> administrator (possible)") || !strings.Contains(out, "(0 certain, 1 possible)") {
		t.Errorf("possible path not listed:\n%s", out)
	}
	_, out, _ = run(t, "", "iam", "paths", escFixtures+"trap-boundary-blocks")
	if out != "No path to administrator.\n" {
		t.Errorf("no-path output: %q", out)
	}
}

// The clock decides aws:CurrentTime conditions: before the condition's
// deadline the path is possible (the request may come later), after it
// there is none.
func TestIAMPathsAsOf(t *testing.T) {
	if code, out, _ := run(t, "", "iam", "paths", "--as-of", "2019-06-01", escFixtures+"trap-condition-never"); code != ExitOK ||
		!strings.Contains(out, "role ci -[iam:AttachRolePolicy]-> administrator (possible)") {
		t.Errorf("before the deadline: exit %d\n%s", code, out)
	}
	if code, out, _ := run(t, "", "iam", "paths", escFixtures+"trap-condition-never"); code != ExitOK || out != "No path to administrator.\n" {
		t.Errorf("after the deadline: exit %d\n%s", code, out)
	}
}

func iamPathsJSON(t *testing.T, args ...string) (int, map[string]any, string) {
	t.Helper()
	code, out, stderr := run(t, "", append([]string{"iam", "paths", "--format", "json", "--as-of", "2026-11-22"}, args...)...)
	var v map[string]any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("JSON does not parse: %v\n%s%s", err, out, stderr)
	}
	return code, v, out
}

func TestIAMPathsJSON(t *testing.T) {
	dir := iamPathsFixture(t)
	code, v, out := iamPathsJSON(t, "--crown-jewel", "arn:aws:iam::*:role/billing", dir)
	if code != ExitGate {
		t.Errorf("exit %d, want 1 (bad.json cannot be read, but a certain path exists)", code)
	}
	if v["schema_version"] != IAMPathsSchemaVersion {
		t.Errorf("schema_version %v", v["schema_version"])
	}
	var chains []string
	for _, p := range v["paths"].([]any) {
		pm := p.(map[string]any)
		chains = append(chains, pm["chain"].(string)+" "+pm["certainty"].(string))
	}
	want := []string{
		`role aws_iam_role.svc["a"] -[administrator]-> administrator possible`,
		"role ci -[iam:CreatePolicyVersion]-> administrator certain",
		"user auditor -[sts:AssumeRole]-> role billing -[administrator]-> administrator certain",
		"user dev -[sts:AssumeRole]-> role ci -[iam:CreatePolicyVersion]-> administrator certain",
	}
	if strings.Join(chains, "\n") != strings.Join(want, "\n") {
		t.Errorf("paths:\n%s\nwant:\n%s", strings.Join(chains, "\n"), strings.Join(want, "\n"))
	}
	for _, s := range []string{
		`"statement": "\"Versions\""`,
		`"policy": "aws_iam_policy.deploy policy"`,
		`"aws_managed": true`,
		`"crown_jewel": true`,
		`"detail": "is a crown jewel (arn:aws:iam::*:role/billing)"`,
		`"policy": "arn:aws:iam::aws:policy/ExamplePublishedLaterAccess"`,
		`"summary": `,
	} {
		if !strings.Contains(out, s) {
			t.Errorf("JSON lacks %s\n%s", s, out)
		}
	}
	// Same input, same bytes.
	if _, _, again := iamPathsJSON(t, "--crown-jewel", "arn:aws:iam::*:role/billing", dir); again != out {
		t.Error("JSON output differs between two runs")
	}
}

// TestIAMPathsJSONDocumented keeps docs/iam-paths.md in step with the
// output: every key the JSON writes must be documented.
func TestIAMPathsJSONDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/iam-paths.md")
	if err != nil {
		t.Fatal(err)
	}
	_, v, _ := iamPathsJSON(t, "--crown-jewel", "arn:aws:iam::*:role/billing", iamPathsFixture(t))
	keys := map[string]bool{}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				keys[k] = true
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	// The fixture must exercise the optional fields, or this test proves
	// nothing about them.
	for _, k := range []string{"aws_managed", "crown_jewel", "unreadable_policies", "arn", "resource", "summary", "statement"} {
		if !keys[k] {
			t.Errorf("fixture does not exercise field %q", k)
		}
	}
	for k := range keys {
		if !strings.Contains(string(doc), "`"+k+"`") {
			t.Errorf("JSON field %q is not documented in docs/iam-paths.md", k)
		}
	}
}

var (
	mermaidNode = regexp.MustCompile(`^    n\d+(\["[^"]*"\]|\{\{"[^"]*"\}\})$`)
	mermaidEdge = regexp.MustCompile(`^    n\d+ (-->|-\.->)\|"[^"|]*"\| n\d+$`)
	mermaidMisc = regexp.MustCompile(`^    (classDef \w+ [\w:#,]+|class n\d+(,n\d+)* \w+)$`)
)

func TestIAMPathsMermaid(t *testing.T) {
	dir := iamPathsFixture(t)
	os.Remove(filepath.Join(dir, "bad.json"))
	file := filepath.Join(t.TempDir(), "paths.mmd")
	code, out, stderr := run(t, "", "iam", "paths", "--format", "mermaid="+file, "--format", "mermaid", dir)
	if code != ExitGate {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	saved, err := os.ReadFile(file)
	if err != nil || string(saved) != out {
		t.Fatalf("file output differs from stdout (%v)", err)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if lines[0] != "graph LR" {
		t.Fatalf("first line %q", lines[0])
	}
	for _, ln := range lines[1:] {
		if !mermaidNode.MatchString(ln) && !mermaidEdge.MatchString(ln) && !mermaidMisc.MatchString(ln) {
			t.Errorf("not a Mermaid statement this writer emits: %q", ln)
		}
	}
	for _, s := range []string{
		`["role aws_iam_role.svc#91;#34;a#34;#93;"]`, // escaped label
		`{{"administrator"}}`,
		`-.->|"administrator"|`,          // possible hop, dashed
		`-->|"iam:CreatePolicyVersion"|`, // certain hop
	} {
		if !strings.Contains(out, s) {
			t.Errorf("Mermaid lacks %s\n%s", s, out)
		}
	}
}

func TestMermaidLabel(t *testing.T) {
	if got := mermaidLabel("a \"b\" <c> |d| #e; [f] {g} (h) `i` &j\nk"); got != "a #34;b#34; #60;c#62; #124;d#124; #35;e#59; #91;f#93; #123;g#125; #40;h#41; #96;i#96; #38;j k" {
		t.Errorf("mermaidLabel = %q", got)
	}
}

// TestScanCrownJewel: scan's --crown-jewel reaches the escalation rules.
func TestScanCrownJewel(t *testing.T) {
	dir := iamPathsFixture(t)
	os.Remove(filepath.Join(dir, "bad.json"))
	has := func(args ...string) bool {
		_, r := scanJSON(t, append(args, dir)...)
		for _, f := range r.Findings {
			if f.RuleID == "IAM-030" && f.Resource == "aws_iam_user.auditor" {
				return true
			}
		}
		return false
	}
	if has() {
		t.Error("auditor reported without a crown jewel")
	}
	if !has("--crown-jewel", "arn:aws:iam::*:role/billing") {
		t.Error("auditor's path to the crown jewel not reported")
	}
}

// `eksguard iam methods` lists every hop label; its markdown is the
// generated table of docs/iam-paths.md.
func TestIAMMethods(t *testing.T) {
	code, out, stderr := run(t, "", "iam", "methods")
	if code != ExitOK || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	for _, m := range escalate.Methods() {
		for _, l := range m.Labels() {
			if !strings.Contains(out, l+"\n") && !strings.Contains(out, l+"  [") {
				t.Errorf("text listing lacks %s", l)
			}
		}
	}
	if !strings.Contains(out, escalate.CoverageLine()) {
		t.Errorf("text listing lacks the coverage line:\n%s", out)
	}
	code, out, _ = run(t, "", "iam", "methods", "--format", "markdown")
	if code != ExitOK || out != escalate.MethodsMarkdown() {
		t.Errorf("markdown: exit %d, output differs from escalate.MethodsMarkdown()", code)
	}
	if code, _, stderr := run(t, "", "iam", "methods", "--format", "html"); code != ExitUsage || !strings.Contains(stderr, "want text or markdown") {
		t.Errorf("bad format: exit %d, stderr %q", code, stderr)
	}
	if code, _, _ := run(t, "", "iam", "methods", "extra"); code != ExitUsage {
		t.Errorf("extra argument: exit %d", code)
	}
}
