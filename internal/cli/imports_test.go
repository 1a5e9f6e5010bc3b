package cli

import (
	"os"
	"path/filepath"
	"testing"
)

// A Trivy report found in a scanned directory is judged by the gate like
// eksguard's own findings: one critical vulnerability fails the scan.
func TestImportedTrivyReportGated(t *testing.T) {
	dir := t.TempDir()
	const trivy = `{
  "SchemaVersion": 2,
  "ArtifactName": "shop/api:1.4.2",
  "ArtifactType": "container_image",
  "Results": [{
    "Target": "shop/api:1.4.2 (alpine 3.18.4)",
    "Class": "os-pkgs",
    "Type": "alpine",
    "Vulnerabilities": [{
      "VulnerabilityID": "CVE-2023-38545",
      "PkgName": "curl",
      "InstalledVersion": "8.2.1-r0",
      "FixedVersion": "8.4.0-r0",
      "SeveritySource": "nvd",
      "Title": "curl: heap based buffer overflow in the SOCKS5 proxy handshake",
      "Severity": "HIGH",
      "CVSS": {"nvd": {"V3Score": 9.8}}
    }]
  }]
}`
	if err := os.WriteFile(filepath.Join(dir, "trivy-report.json"), []byte(trivy), 0o644); err != nil {
		t.Fatal(err)
	}
	code, r := scanJSON(t, dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (errors %v)", code, r.Errors)
	}
	var found bool
	for _, f := range r.Findings {
		if f.RuleID == "trivy:CVE-2023-38545" {
			found = true
			if f.SeverityName != "critical" || f.Origin != "trivy" || f.Resource != "curl@8.2.1-r0" || f.CVSS != 9.8 {
				t.Errorf("finding: %+v", f)
			}
		}
	}
	if !found {
		t.Fatalf("imported finding missing: %+v", r.Findings)
	}
	if r.Summary.BySev["critical"] != 1 || r.Gate.Passed || r.Gate.Blocking != 1 {
		t.Errorf("summary %+v gate %+v", r.Summary, r.Gate)
	}
	if len(r.Inputs) != 1 || r.Inputs[0].Kind != "imported:trivy" {
		t.Errorf("inputs: %+v", r.Inputs)
	}
}
