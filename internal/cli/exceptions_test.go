package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const openSecret = `resource "aws_secretsmanager_secret_policy" "open" {
  secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:api"
  %s
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = "*", Action = "secretsmanager:GetSecretValue", Resource = "*" }]
  })
}
`

const privilegedPod = `apiVersion: v1
kind: Pod
metadata:
  name: agent
  namespace: tools
spec:
  containers:
    - name: agent
      image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/agent:1.0
      securityContext:
        %s
        privileged: true
`

func TestInlineSuppressions(t *testing.T) {
	// A high finding (K8S-010) suppressed in YAML passes the gate; a
	// critical one (DATA-011) suppressed in HCL is still gated.
	dir := writeFiles(t, map[string]string{
		"pod.yaml": strings.Replace(privilegedPod, "%s", `# eksguard:ignore K8S-010 reason="node agent needs the host" expires=2027-12-31 owner=platform`, 1),
	})
	code, r := scanJSON(t, "--fail-on", "high", dir)
	if got := len(r.Suppressed); got != 1 || r.Suppressed[0].RuleID != "K8S-010" || r.Suppressed[0].Suppression.Reason != "node agent needs the host" {
		t.Fatalf("suppressed %+v", r.Suppressed)
	}
	for _, f := range r.Findings {
		if f.RuleID == "K8S-010" {
			t.Error("a suppressed finding is still listed among findings")
		}
		if f.Severity >= 3 {
			t.Logf("other blocking finding %s", f.RuleID)
		}
	}
	if r.Gate.BlockingBySeverity["high"] != 0 && code == ExitGate {
		// Other high findings of the pod may still block; K8S-010 must not.
		for _, f := range r.Findings {
			if f.RuleID == "K8S-010" {
				t.Error("suppressed high finding blocks")
			}
		}
	}

	dir = writeFiles(t, map[string]string{"main.tf": strings.Replace(openSecret, "%s", `# eksguard:ignore DATA-011 reason="shared with the vendor"`, 1)})
	code, r = scanJSON(t, dir)
	if len(r.Suppressed) != 1 || r.Suppressed[0].RuleID != "DATA-011" {
		t.Fatalf("suppressed %+v", r.Suppressed)
	}
	if code != ExitGate || r.Gate.BlockingBySeverity["critical"] != 1 {
		t.Errorf("a suppressed critical finding must still fail the gate: exit %d, gate %+v", code, r.Gate)
	}
	if code, _ := scanJSON(t, "--fail-on", "none", dir); code != ExitOK {
		t.Errorf("with --fail-on none the suppressed critical passes: exit %d", code)
	}
}

func TestSuppressionNeedsReason(t *testing.T) {
	dir := writeFiles(t, map[string]string{"main.tf": strings.Replace(openSecret, "%s", `# eksguard:ignore DATA-011`, 1)})
	// The finding it meant to cover still fails the gate: 1 wins over
	// the rejection's 2.
	code, r := scanJSON(t, dir)
	if code != ExitGate {
		t.Errorf("exit %d, want %d", code, ExitGate)
	}
	if code, _ := scanJSON(t, "--fail-on", "none", dir); code != ExitInput {
		t.Errorf("--fail-on none: exit %d, want %d", code, ExitInput)
	}
	found := false
	for _, e := range r.Errors {
		if e.Summary == "suppression rejected" && e.Line == 3 && strings.Contains(e.Detail, "no reason") {
			found = true
		}
	}
	if !found || len(r.Suppressed) != 0 {
		t.Errorf("want a positioned rejection and no suppression: errors %v, suppressed %d", r.Errors, len(r.Suppressed))
	}
}

func TestExpiredAndUnusedSuppressions(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"main.tf": strings.Replace(openSecret, "%s", `# eksguard:ignore DATA-011 reason="vendor trial" expires=2026-01-31`, 1),
		".eksguard.yaml": `suppressions:
  - rule: NET-*
    reason: no network resources here yet
  - rule: DATA-011
    resource: aws_secretsmanager_secret_policy.other
    reason: not this one
`,
	})
	code, r := scanJSON(t, "--config", filepath.Join(dir, ".eksguard.yaml"), dir)
	if code != ExitGate || len(r.Suppressed) != 0 {
		t.Errorf("an expired suppression must not apply: exit %d, suppressed %d", code, len(r.Suppressed))
	}
	statuses := map[string]int{}
	for _, s := range r.Suppressions {
		statuses[s.Status]++
	}
	if statuses["expired"] != 1 || statuses["unused"] != 2 {
		t.Errorf("statuses %v, want 1 expired and 2 unused", statuses)
	}
	warned := false
	for _, e := range r.Errors {
		if e.Summary == "suppression expired" && e.Line == 3 {
			warned = true
		}
	}
	if !warned {
		t.Errorf("the expired suppression is not reported: %v", r.Errors)
	}
}

func TestConfigSuppressionByGlob(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"main.tf": strings.Replace(openSecret, "%s", "", 1),
		".eksguard.yaml": `suppressions:
  - rule: DATA-0*
    resource: aws_secretsmanager_secret_policy.*
    path: "*.tf"
    reason: secrets shared with the vendor, approved in SEC-123
    owner: data-team
`,
	})
	_, r := scanJSON(t, "--config", filepath.Join(dir, ".eksguard.yaml"), "--fail-on", "none", dir)
	if len(r.Suppressed) != 1 || r.Suppressed[0].Suppression.Owner != "data-team" || r.Suppressed[0].Suppression.Inline {
		t.Errorf("suppressed %+v", r.Suppressed)
	}
}

func TestCloudFormationInlineSuppression(t *testing.T) {
	dir := writeFiles(t, map[string]string{"template.yaml": `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  # eksguard:ignore NET-002 reason="bastion reachable from the office VPN only, via the vendor appliance"
  Bastion:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: bastion
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0
`})
	_, r := scanJSON(t, dir)
	if len(r.Suppressed) != 1 || r.Suppressed[0].RuleID != "NET-002" {
		t.Errorf("a comment above the resource covers its findings: suppressed %+v", r.Suppressed)
	}
}

func TestBaseline(t *testing.T) {
	dir := writeFiles(t, map[string]string{"main.tf": strings.Replace(openSecret, "%s", "", 1)})
	base := filepath.Join(t.TempDir(), "baseline.json")
	if code, out, errOut := run(t, "", "baseline", "create", "--output", base, dir); code != ExitOK || !strings.Contains(out, "findings") {
		t.Fatalf("baseline create: exit %d, %s %s", code, out, errOut)
	}
	// Move the code down and add an unrelated resource: the finding is
	// still recognised; a new one is not.
	body := "\n\n# moved\n" + strings.Replace(openSecret, "%s", "", 1) +
		strings.Replace(strings.Replace(openSecret, "%s", "", 1), `"open"`, `"new"`, 1)
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	code, r := scanJSON(t, "--baseline", base, dir)
	if len(r.Baselined) != 1 || r.Baselined[0].Resource != "aws_secretsmanager_secret_policy.open" {
		t.Errorf("baselined %+v", r.Baselined)
	}
	if code != ExitGate || len(r.Findings) == 0 || r.Findings[0].Resource != "aws_secretsmanager_secret_policy.new" {
		t.Errorf("the new finding must be gated: exit %d, findings %+v", code, r.Findings)
	}
	// Fix the original: it is reported as fixed.
	body = strings.Replace(strings.Replace(openSecret, "%s", "", 1), `"open"`, `"new"`, 1)
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	_, r = scanJSON(t, "--baseline", base, dir)
	if len(r.Fixed) != 1 || r.Fixed[0].Resource != "aws_secretsmanager_secret_policy.open" {
		t.Errorf("fixed %+v", r.Fixed)
	}
}

// TestImportedFindingsSuppressed: findings of other scanners' reports fall
// under the same suppressions as eksguard's own.
func TestImportedFindingsSuppressed(t *testing.T) {
	report, err := os.ReadFile("../imports/testdata/trivy.json")
	if err != nil {
		t.Skip("no Trivy fixture:", err)
	}
	dir := writeFiles(t, map[string]string{
		"reports/trivy.json": string(report),
		".eksguard.yaml": `suppressions:
  - rule: "trivy:*"
    reason: base image CVEs triaged in SEC-42, fixed by the next rebuild
    expires: 2099-01-01
`,
	})
	_, r := scanJSON(t, "--config", filepath.Join(dir, ".eksguard.yaml"), "--fail-on", "none", dir)
	n := 0
	for _, f := range r.Suppressed {
		if strings.HasPrefix(f.RuleID, "trivy:") {
			n++
		}
	}
	for _, f := range r.Findings {
		if strings.HasPrefix(f.RuleID, "trivy:") {
			t.Errorf("imported finding not suppressed: %s", f.RuleID)
		}
	}
	if n == 0 {
		t.Error("no imported finding was suppressed")
	}
}

// A comment on the line of an attribute enclosing the finding's (here
// securityContext, above privileged) covers it too.
func TestInlineSuppressionOnEnclosingAttribute(t *testing.T) {
	pod := strings.Replace(privilegedPod, "      securityContext:\n        %s\n",
		"      # eksguard:ignore K8S-010 reason=\"node agent needs the host\"\n      securityContext:\n", 1)
	if pod == privilegedPod {
		t.Fatal("the pod was not rewritten")
	}
	_, r := scanJSON(t, writeFiles(t, map[string]string{"pod.yaml": pod}))
	if len(r.Suppressed) != 1 || r.Suppressed[0].RuleID != "K8S-010" {
		t.Fatalf("suppressed %+v, want K8S-010", r.Suppressed)
	}
	_, r = scanJSON(t, writeFiles(t, map[string]string{"pod.yaml": strings.Replace(pod, "# eksguard:ignore", "# not a suppression:", 1)}))
	if len(r.Suppressed) != 0 {
		t.Fatalf("suppressed %+v without a suppression", r.Suppressed)
	}
}
