package imports

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/jsonpos"
)

func read(t *testing.T, name string) (string, []Record, []string) {
	t.Helper()
	path := filepath.ToSlash(filepath.Join("testdata", name))
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	root, err := jsonpos.Parse(data, path)
	if err != nil {
		t.Fatal(err)
	}
	format := Detect(root)
	fs, diags := Read(root, path)
	var ds []string
	for _, d := range diags {
		ds = append(ds, d.String())
	}
	return format, fs, ds
}

type want struct {
	id, sev, resource, file string
	line                    int
	cvss                    float64
}

func check(t *testing.T, name, format, origin string, wants []want) []Record {
	t.Helper()
	got, fs, diags := read(t, name)
	if got != format {
		t.Fatalf("Detect = %q, want %q", got, format)
	}
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	if len(fs) != len(wants) {
		for _, f := range fs {
			t.Logf("%s %s %s %s:%d", f.RuleID, f.Severity, f.Resource, f.File, f.Line)
		}
		t.Fatalf("%d records, want %d", len(fs), len(wants))
	}
	for i, w := range wants {
		f := fs[i]
		if f.RuleID != w.id || f.Severity.String() != w.sev || f.Resource != w.resource || f.File != w.file || f.Line != w.line {
			t.Errorf("record %d = %s %s %s %s:%d, want %s %s %s %s:%d", i, f.RuleID, f.Severity, f.Resource, f.File, f.Line,
				w.id, w.sev, w.resource, w.file, w.line)
		}
		if w.cvss != 0 && f.CVSS != w.cvss {
			t.Errorf("%s: cvss %v, want %v", f.RuleID, f.CVSS, w.cvss)
		}
		if f.Origin != origin || f.Report != filepath.ToSlash(filepath.Join("testdata", name)) || len(f.Fingerprint) != 32 || f.Message == "" {
			t.Errorf("%s: origin %q report %q fingerprint %q message %q", f.RuleID, f.Origin, f.Report, f.Fingerprint, f.Message)
		}
	}
	return fs
}

func TestTrivy(t *testing.T) {
	rep := "testdata/trivy.json"
	fs := check(t, "trivy.json", Trivy, "trivy", []want{
		// Score wins over the name: 7.5 from NVD (the severity source).
		{"trivy:AVD-AWS-0040", "critical", "aws_eks_cluster.main", "infra/main.tf", 12, 0},
		{"trivy:CVE-2021-44906", "critical", "minimist@1.2.5", "app/package-lock.json", 0, 9.8},
		{"trivy:CVE-2023-42363", "medium", "busybox@1.36.1-r2", rep, 0, 5.5},
		{"trivy:CVE-2023-5363", "high", "libcrypto3@3.1.3-r0", rep, 0, 7.5},
	})
	if fs[3].Remediation != "Upgrade libcrypto3 to 3.1.4-r0." || len(fs[3].URLs) != 1 {
		t.Errorf("remediation/URLs: %q %v", fs[3].Remediation, fs[3].URLs)
	}
}

func TestGrype(t *testing.T) {
	rep := "testdata/grype.json"
	check(t, "grype.json", Grype, "grype", []want{
		// 9.8 from cvss beats the "High" name; the related CVE's 9.0 beats "Medium".
		{"grype:CVE-2005-2541", "low", "tar@1.34+dfsg-1", rep, 0, 2.0},
		{"grype:CVE-2022-3602", "critical", "openssl@3.0.5", rep, 0, 9.8},
		{"grype:GHSA-jfh8-c2jp-5v3q", "critical", "log4j-core@2.15.0", rep, 0, 9.0},
	})
}

func TestDependencyCheck(t *testing.T) {
	rep := "testdata/dependency-check.json"
	check(t, "dependency-check.json", DependencyCheck, "dependency-check", []want{
		{"dependency-check:CVE-2021-44228", "critical", "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", rep, 0, 10},
		{"dependency-check:CVE-2022-42889", "high", "commons-text-1.9.jar", rep, 0, 8.0},
	})
}

func TestKubeBench(t *testing.T) {
	rep := "testdata/kube-bench.json"
	check(t, "kube-bench.json", KubeBench, "kube-bench", []want{
		{"kube-bench:3.2.1", "high", "eks-1.2.0 node", rep, 0, 0},
		{"kube-bench:3.2.8", "low", "eks-1.2.0 node", rep, 0, 0},
		{"kube-bench:3.2.9", "medium", "eks-1.2.0 node", rep, 0, 0},
	})
}

func TestSARIF(t *testing.T) {
	fs := check(t, "sarif.json", SARIF, "sarif:checkov", []want{
		{"sarif:checkov:CKV_AWS_37", "low", "infra/eks.tf", "infra/eks.tf", 9, 0},
		{"sarif:checkov:CKV_AWS_39", "critical", "aws_eks_cluster.main", "infra/eks.tf", 3, 9.1},
		{"sarif:checkov:CKV_AWS_58", "high", "infra/eks.tf", "infra/eks.tf", 3, 8.0},
	})
	if fs[1].Title != "Ensure Amazon EKS public endpoint disabled" || fs[1].EndLine != 25 {
		t.Errorf("title/end line: %q %d", fs[1].Title, fs[1].EndLine)
	}
}

func TestFingerprintStable(t *testing.T) {
	_, a, _ := read(t, "trivy.json")
	_, b, _ := read(t, "trivy.json")
	seen := map[string]bool{}
	for i := range a {
		if a[i].Fingerprint != b[i].Fingerprint {
			t.Errorf("fingerprint changed for %s", a[i].RuleID)
		}
		if seen[a[i].Fingerprint] {
			t.Errorf("fingerprint repeated: %s", a[i].RuleID)
		}
		seen[a[i].Fingerprint] = true
	}
}

func TestMalformed(t *testing.T) {
	cases := []struct {
		name, doc, want string
	}{
		{"trivy results not a list", "{\"SchemaVersion\": 2,\n \"Results\": {\"Target\": \"x\"}}", "r.json:2:13: error: malformed report: Results is a map, want a list"},
		{"trivy without id", "{\"SchemaVersion\": 2, \"Results\": [\n {\"Target\": \"x\", \"Vulnerabilities\": [\n  {\"PkgName\": \"a\", \"Severity\": \"HIGH\"}]}]}", "r.json:3:3: error: malformed report: trivy entry without an id"},
		{"grype bad severity", "{\"descriptor\": {}, \"matches\": [\n {\"vulnerability\": {\"id\": \"CVE-1\", \"severity\": \"Dire\"}}]}", "r.json:2:20: error: unknown severity"},
		{"sarif version", "{\"version\": \"1.0.0\", \"runs\": []}", "r.json:1:19: error: unsupported SARIF version"},
		{"kube-bench status", "{\"Totals\": {}, \"Controls\": [{\"id\": \"1\", \"text\": \"x\", \"tests\": [{\"results\": [\n {\"test_number\": \"1.1\", \"status\": \"BROKEN\"}]}]}]}", "r.json:2:42: error: malformed report: kube-bench status"},
	}
	for _, c := range cases {
		root, err := jsonpos.Parse([]byte(c.doc), "r.json")
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if Detect(root) == "" {
			t.Fatalf("%s: not detected", c.name)
		}
		_, diags := Read(root, "r.json")
		if len(diags) != 1 || !strings.HasPrefix(diags[0].String(), c.want) {
			t.Errorf("%s: diags %v, want %q", c.name, diags, c.want)
		}
	}
}

func TestDetectLeavesOtherInputs(t *testing.T) {
	for _, doc := range []string{
		`{"format_version": "1.2", "terraform_version": "1.6.0", "planned_values": {}}`,
		`{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}`,
		`{"Version": "2012-10-17", "Statement": []}`,
		`{"apiVersion": "v1", "kind": "Namespace"}`,
		`[1, 2]`,
	} {
		root, err := jsonpos.Parse([]byte(doc), "x.json")
		if err != nil {
			t.Fatal(err)
		}
		if f := Detect(root); f != "" {
			t.Errorf("%s detected as %s", doc, f)
		}
	}
}

// Found by FuzzRead: a score of "NaN" or "+Inf" parsed as a number, and a
// finding holding it failed the whole JSON report. Such a score is no
// score: the severity comes from the level or name as when none is given.
func TestNonFiniteScores(t *testing.T) {
	for _, src := range []string{
		`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"ruleId":"r","level":"error","properties":{"security-severity":"NaN"}}]}]}`,
		`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"ruleId":"r","level":"error","properties":{"security-severity":1e400}}]}]}`,
		`{"SchemaVersion":2,"Results":[{"Target":"t","Vulnerabilities":[{"VulnerabilityID":"CVE-1","PkgName":"p","Severity":"HIGH","CVSS":{"nvd":{"V3Score":"+Inf"}}}]}]}`,
	} {
		root, err := jsonpos.Parse([]byte(src), "r.json")
		if err != nil {
			t.Fatal(err)
		}
		fs, diags := Read(root, "r.json")
		if len(fs) != 1 || len(diags) != 0 {
			t.Fatalf("%s: %d records, diagnostics %v", src, len(fs), diags)
		}
		if f := fs[0]; f.Severity.String() != "high" || f.CVSS != f.Severity.Score() {
			t.Errorf("%s: %s CVSS %v, want high at its band's score", src, f.Severity, f.CVSS)
		}
	}
}
