package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/finding"
	"github.com/eksguard/eksguard/internal/report"
)

const (
	policies = "../../examples/policies"
	fixtures = "../../examples/policies/testdata"
)

func customFindings(fs []finding.Finding) []string {
	var out []string
	for _, f := range fs {
		if strings.HasPrefix(f.RuleID, "ORG-") || strings.HasPrefix(f.RuleID, "main.") {
			out = append(out, fmt.Sprintf("%s %s %s %s:%d", f.RuleID, f.SeverityName, f.Resource, filepath.Base(f.File), f.Line))
		}
	}
	sort.Strings(out)
	return out
}

// Custom findings come out of the same report as the built-in ones, with
// their metadata, and the gate counts them.
func TestScanWithPolicies(t *testing.T) {
	code, r := scanJSON(t, fixtures, "--policy", policies)
	if code != ExitGate {
		t.Errorf("exit %d, want %d", code, ExitGate)
	}
	got := customFindings(r.Findings)
	want := []string{
		"ORG-EKS-001 medium aws_eks_cluster.analytics main.tf:39",
		"ORG-EKS-001 medium aws_eks_node_group.batch main.tf:62",
		"ORG-EKS-002 high aws_eks_node_group.batch main.tf:65",
		"main.deny high Deployment/reports/report-api reports.yaml:30",
		"main.warn low Deployment/reports/report-worker reports.yaml:33",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("custom findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, f := range r.Findings {
		if f.RuleID == "ORG-EKS-002" {
			if f.Title != "Node groups do not run with the cluster's IAM role" || f.Service != "IAM" || !strings.HasPrefix(f.Remediation, "Create a node role") ||
				len(f.References) != 1 || f.Path != "node_role_arn" {
				t.Errorf("ORG-EKS-002 metadata not carried: %+v", f)
			}
		}
	}
	if len(r.Errors) != 0 {
		t.Errorf("errors: %v", r.Errors)
	}
	if r.Summary.Rules != 103+4 {
		t.Errorf("summary counts %d rules, want the 103 built-in and 4 custom", r.Summary.Rules)
	}

	// SARIF names the custom rules with their metadata.
	_, out, _ := run(t, "", "scan", "--format", "sarif", fixtures, "--policy", policies)
	for _, s := range []string{`"id": "ORG-EKS-002"`, `Node groups do not run with the cluster's IAM role`, `"ruleId": "main.deny"`} {
		if !strings.Contains(out, s) {
			t.Errorf("SARIF lacks %s", s)
		}
	}
}

// A suppression comment and a baseline treat custom findings as they treat
// built-in ones.
func TestPolicySuppressionAndBaseline(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join(fixtures, "terraform/main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(src), "  node_role_arn   = aws_iam_role.cluster.arn",
		"  # eksguard:ignore ORG-EKS-002 reason=\"batch nodes move to their own role in PLAT-88\" expires=2027-01-31\n  node_role_arn   = aws_iam_role.cluster.arn", 1)
	if text == string(src) {
		t.Fatal("fixture changed; update the test")
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	_, r := scanJSON(t, dir, "--policy", policies)
	for _, f := range r.Findings {
		if f.RuleID == "ORG-EKS-002" {
			t.Errorf("suppressed finding still active: %+v", f)
		}
	}
	if len(r.Suppressed) != 1 || r.Suppressed[0].RuleID != "ORG-EKS-002" || r.Suppressed[0].Suppression == nil ||
		r.Suppressed[0].Suppression.Reason != "batch nodes move to their own role in PLAT-88" {
		t.Errorf("suppressed: %+v", r.Suppressed)
	}

	base := filepath.Join(t.TempDir(), "baseline.json")
	if code, out, errs := run(t, "", "baseline", "create", "--output", base, "--policy", policies, fixtures); code != ExitOK {
		t.Fatalf("baseline create: %d %s %s", code, out, errs)
	}
	code, r := scanJSON(t, fixtures, "--policy", policies, "--baseline", base)
	if code != ExitOK || len(customFindings(r.Findings)) != 0 || len(customFindings(r.Baselined)) != 5 {
		t.Errorf("with baseline: exit %d, custom findings %v, baselined %v", code, customFindings(r.Findings), customFindings(r.Baselined))
	}
}

// A policy that does not compile is reported with its position, the scan
// of the built-in rules goes on, and the exit status says an input failed.
func TestBrokenPolicyKeepsScanning(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "net.rego"), []byte("package leak\n\nimport rego.v1\n\ndeny contains r.body if {\n\tr := http.send({\"method\": \"GET\", \"url\": \"https://example.com\"})\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, r := scanJSON(t, example, "--policy", dir)
	if code != ExitGate {
		t.Errorf("exit %d, want %d (the built-in rules fail the gate; 1 wins over the policy's 2)", code, ExitGate)
	}
	if code, _ := scanJSON(t, example, "--policy", dir, "--fail-on", "none"); code != ExitInput {
		t.Errorf("--fail-on none: exit %d, want %d", code, ExitInput)
	}
	found := false
	for _, e := range r.Errors {
		if e.File == filepath.Join(dir, "net.rego") && e.Line == 6 && e.Column == 7 && strings.Contains(e.Detail, "http.send") {
			found = true
		}
	}
	if !found {
		t.Errorf("no positioned error for http.send: %v", r.Errors)
	}
	if len(r.Findings) < 6 {
		t.Errorf("built-in rules did not run: %d findings", len(r.Findings))
	}
}

func TestPolicyTestCommand(t *testing.T) {
	code, out, errs := run(t, "", "policy", "test", policies)
	if code != ExitOK || !strings.Contains(out, "PASS: 10/10") {
		t.Errorf("examples: exit %d\n%s%s", code, out, errs)
	}
	code, out, _ = run(t, "", "policy", "test", "../policy/testdata/failtests")
	if code != ExitGate || !strings.Contains(out, "FAIL  data.ft.test_fails (../policy/testdata/failtests/p_test.rego:9") ||
		!strings.Contains(out, "| input was") || !strings.Contains(out, "PASS: 1/3  FAIL: 2") ||
		!strings.Contains(out, `failed at ../policy/testdata/failtests/p_test.rego:11: deny["x"] with input as {"x": 2}`) {
		t.Errorf("failing tests: exit %d\n%s", code, out)
	}
	code, _, errs = run(t, "", "policy", "test", "../policy/testdata/seed")
	if code != ExitInput || !strings.Contains(errs, "no test_ rules or testdata fixtures found") {
		t.Errorf("no tests: exit %d %s", code, errs)
	}
	code, _, errs = run(t, "", "policy", "test", "../policy/testdata/versions/broken.rego")
	if code != ExitInput || !strings.Contains(errs, "broken.rego:5") {
		t.Errorf("broken: exit %d %s", code, errs)
	}
	code, out, _ = run(t, "", "policy", "test", "--run", "shared_role", policies)
	if code != ExitOK || !strings.Contains(out, "PASS: 1/1") {
		t.Errorf("--run: exit %d %s", code, out)
	}
	if code, _, _ = run(t, "", "policy", "test", "--timeout", "soon", policies); code != ExitUsage {
		t.Errorf("--timeout soon: exit %d, want %d", code, ExitUsage)
	}
}

// The rule of Snyk's EKS hardening post with only a selector added, run by the scan command.
func TestSeedPolicyScan(t *testing.T) {
	code, r := scanJSON(t, example, "--policy", "../policy/testdata/seed")
	if code != ExitGate {
		t.Errorf("exit %d", code)
	}
	var got []string
	for _, f := range r.Findings {
		if f.RuleID == "play.deny" {
			got = append(got, fmt.Sprintf("%s %s:%d %s %s", f.Resource, f.File, f.Line, f.SeverityName, f.Message))
		}
	}
	want := "module.eks.aws_eks_cluster.this[0] ../../examples/seed-eks/tfplan.json:933 high The public endpoint is enabled on the cluster"
	if len(got) != 1 || got[0] != want {
		t.Errorf("got %v, want [%s]", got, want)
	}
}

// A conftest exception rule waives a finding; the report lists it as
// suppressed, pointing at the exception.
func TestConftestExceptionIsSuppressed(t *testing.T) {
	dir := t.TempDir()
	pods := "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: c\n      image: busybox:latest\n" +
		"---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: debug\nspec:\n  containers:\n    - name: c\n      image: busybox:latest\n"
	if err := os.WriteFile(filepath.Join(dir, "pods.yaml"), []byte(pods), 0o644); err != nil {
		t.Fatal(err)
	}
	_, r := scanJSON(t, dir, "--policy", "../policy/testdata/exception")
	var active, waived []string
	for _, f := range r.Findings {
		if f.RuleID == "main.deny_latest_tag" {
			active = append(active, f.Resource)
		}
	}
	for _, f := range r.Suppressed {
		if f.RuleID == "main.deny_latest_tag" && f.Suppression != nil && f.Suppression.Line == 11 &&
			strings.HasSuffix(f.Suppression.File, "exception/policy.rego") {
			waived = append(waived, f.Resource)
		}
	}
	if fmt.Sprint(active) != "[Pod/default/web]" || fmt.Sprint(waived) != "[Pod/default/debug]" {
		t.Errorf("active %v, waived %v; suppressed %+v", active, waived, r.Suppressed)
	}
}

// policy test checks the annotated fixtures under testdata as the built-in
// rules' fixtures are checked: a failure nobody annotated and an
// annotation nothing met both fail it.
func TestPolicyTestFixtures(t *testing.T) {
	dir := t.TempDir()
	err := filepath.WalkDir(policies, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(policies, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		switch filepath.ToSlash(rel) {
		case "testdata/k8s/reports.yaml":
			data = []byte(strings.Replace(string(data), "# want main.warn +main.deny", "# want +main.deny", 1))
		case "testdata/terraform/main.tf":
			data = []byte(strings.Replace(string(data), `"system" { # want +ORG-EKS-001`, `"system" { # want +ORG-EKS-001 ORG-EKS-002`, 1))
		}
		dst := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	code, out, _ := run(t, "", "policy", "test", dir)
	for _, want := range []string{
		"FAIL  fixtures " + filepath.ToSlash(filepath.Join(dir, "testdata")),
		"k8s/reports.yaml:33: unexpected fail main.warn (Deployment/reports/report-worker : Deployment report-worker has no team label)",
		"terraform/main.tf:44: missing fail ORG-EKS-002",
		"PASS: 10/10",
		"FIXTURES: 0/1 directories as annotated (7 annotations)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if code != ExitGate {
		t.Errorf("exit %d, want %d", code, ExitGate)
	}
	code, out, _ = run(t, "", "policy", "test", policies)
	if code != ExitOK || !strings.Contains(out, "FIXTURES: 1/1 directories as annotated (7 annotations)") {
		t.Errorf("examples: exit %d\n%s", code, out)
	}
}

// A policy that exceeds --policy-timeout on every input is stopped after
// --policy-budget time-outs and reported by one error; the policy beside
// it and the built-in rules still report, and the exit status is 2 as for
// any policy error.
func TestSlowPolicyIsStopped(t *testing.T) {
	pol := t.TempDir()
	loop := "package loop\n\nimport rego.v1\n\ndeny contains \"never\" if {\n\tprint(\"started\")\n" +
		"\tn := count([x | some i in numbers.range(1, 1000); some j in numbers.range(1, 1000); some k in numbers.range(1, 1000); x := i * j * k])\n\tn < 0\n}\n"
	seen := "package seen\n\nimport rego.v1\n\nwarn contains sprintf(\"%s seen\", [input.metadata.name]) if input.kind == \"ConfigMap\"\n"
	for name, src := range map[string]string{"loop.rego": loop, "seen.rego": seen} {
		if err := os.WriteFile(filepath.Join(pol, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	docs := t.TempDir()
	for i := range 40 {
		doc := fmt.Sprintf("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-%02d\n  namespace: default\n", i)
		if err := os.WriteFile(filepath.Join(docs, fmt.Sprintf("cm-%02d.yaml", i)), []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// 1s: seen.warn must never time out, even on a loaded machine.
	code, out, stderr := run(t, "", "scan", "--format", "json", "--as-of", "2026-11-22", "--policy", pol, "--policy-timeout", "1s", docs, example)
	if code != ExitGate {
		t.Errorf("exit %d, want %d", code, ExitGate)
	}
	var r report.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("JSON output does not parse: %v", err)
	}
	if len(r.Errors) != 1 {
		t.Fatalf("want one error, got %v", r.Errors)
	}
	e := r.Errors[0]
	m := regexp.MustCompile(`^policy loop\.deny stopped after 3 evaluations exceeded the time bound of 1s; (\d+) evaluations skipped$`).FindStringSubmatch(e.Summary)
	if e.File != filepath.ToSlash(filepath.Join(pol, "loop.rego")) || e.Line != 5 || m == nil || !strings.Contains(e.Detail, "raise --policy-timeout") {
		t.Errorf("error: %v", e)
	}
	// Every input but the three that timed out is skipped: the 40 files
	// and the example's documents.
	if n, _ := strconv.Atoi(m[1]); n < 40-3 {
		t.Errorf("%d evaluations skipped, want at least 37", n)
	}
	if n := strings.Count(stderr, "started"); n >= 40 {
		t.Errorf("%d evaluations of the slow policy started", n)
	}
	seenN, builtin := 0, 0
	for _, f := range r.Findings {
		switch {
		case f.RuleID == "seen.warn":
			seenN++
		case !strings.Contains(f.RuleID, "."):
			builtin++
		}
	}
	if seenN != 40 || builtin < 6 {
		t.Errorf("%d findings of seen.warn, want 40; %d of built-in rules, want at least 6", seenN, builtin)
	}
}
