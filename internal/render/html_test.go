package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/report"
	"github.com/eksguard/eksguard/internal/suppress"
)

// TestHTMLEscapesAndMarks checks the HTML page without a browser: every
// text escaped, imported findings marked with their origin, suppressions
// listed, possible hops dashed, and the same bytes on every run.
func TestHTMLEscapesAndMarks(t *testing.T) {
	r := sampleReport()
	imp := r.Findings[0]
	imp.RuleID, imp.Service, imp.Origin, imp.Title = "trivy:CVE-1", "imported", "trivy", "<script>alert(1)</script>"
	r.Findings = append(r.Findings, imp)
	sup := r.Findings[1]
	r.Suppressions = []suppress.Suppression{{Rules: []string{"EKS-002"}, Reason: "ok <i>now</i>", Owner: "team", Expires: "2027-01-01",
		File: ".eksguard.yaml", Line: 3, Status: "used"}}
	r.Suppressed = append(r.Suppressed, sup)
	r.IAMPaths = []report.PathView{{From: "user <dev>", Hops: []report.HopView{
		{From: "user <dev>", To: "role ci", Method: "sts:AssumeRole", Grants: []string{"main.tf:17"}},
		{From: "role ci", To: "administrator", Method: "iam:CreatePolicyVersion", Certain: true, Grants: []string{"main.tf:5"}},
	}}}
	var a, b bytes.Buffer
	if err := WriteHTML(&a, r, Options{}); err != nil {
		t.Fatal(err)
	}
	WriteHTML(&b, r, Options{})
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("not deterministic")
	}
	page := a.String()
	for _, bad := range []string{"<script>alert", "<i>now</i>", "user <dev>", "<xml>"} {
		if strings.Contains(page, bad) {
			t.Errorf("unescaped %q", bad)
		}
	}
	for _, want := range []string{"imported: trivy", "ok &lt;i&gt;now&lt;/i&gt;", "2027-01-01", "used",
		`class="edge possible"`, `class="edge"`, "gate FAILED", `<tbody class="finding"`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if n := strings.Count(page, `<tbody class="finding"`); n != len(r.Findings) {
		t.Errorf("%d finding rows, want %d", n, len(r.Findings))
	}
	if strings.Count(page, "<script") != 1 || strings.Contains(page, "src=") {
		t.Error("page must carry exactly one inline script and load nothing")
	}
}
