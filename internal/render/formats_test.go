package render

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/finding"
	"github.com/eksguard/eksguard/internal/gate"
	"github.com/eksguard/eksguard/internal/report"
	"github.com/eksguard/eksguard/internal/rule"
)

func fmtFinding(id, title string, sev rule.Severity, status, res, file string, line int) finding.Finding {
	f := finding.Finding{
		RuleID: id, Title: title, Severity: sev, SeverityName: sev.String(), CVSS: sev.Score(),
		Service: "EKS", Status: status, Resource: res, File: file, Line: line,
		Message:     "message for " + id + " with <xml> & \"quotes\", 100% sure\nsecond line",
		Remediation: "fix " + id + " | carefully",
		References:  []rule.Reference{{Kind: "aws-docs", Title: "Docs", URL: "https://docs.aws.amazon.com/eks/"}},
	}
	f.Fingerprint = finding.Fingerprint(id, res, "", file)
	return f
}

func sampleReport() *report.Report {
	return &report.Report{
		SchemaVersion: report.SchemaVersion,
		Tool:          report.Tool{Name: "eksguard", Version: "dev"},
		Inputs:        []report.Input{{Path: "infra/main.tf", Kind: "terraform"}},
		Findings: []finding.Finding{
			fmtFinding("EKS-001", "Public endpoint", rule.High, "fail", "aws_eks_cluster.this", "infra/main.tf", 12),
			fmtFinding("EKS-002", "Logging off", rule.Medium, "fail", "aws_eks_cluster.this", "infra/main.tf", 20),
			fmtFinding("K8S-003", "Latest tag", rule.Low, "fail", "Deployment/web", "k8s/web.yaml", 5),
			fmtFinding("EKS-001", "Public endpoint", rule.High, "fail", "aws_eks_cluster.other", filepath.FromSlash("infra/other.tf"), 0),
		},
		Unknowns: []finding.Finding{
			fmtFinding("EKS-004", "CIDR from a variable", rule.Critical, "unknown", "aws_eks_cluster.this", "infra/main.tf", 14),
		},
		Summary: report.Summary{Failed: 4, Unknown: 1, Passed: 10, BySev: map[string]int{"high": 2, "medium": 1, "low": 1}},
		Gate:    gate.Decision{FailOn: "high", Passed: false, Blocking: 2, BlockingBySeverity: map[string]int{"high": 2}},
	}
}

func render(t *testing.T, format string) string {
	t.Helper()
	w, err := Get(format)
	if err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	if err := w(&a, sampleReport(), Options{}); err != nil {
		t.Fatal(err)
	}
	if err := w(&b, sampleReport(), Options{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatalf("%s output is not deterministic", format)
	}
	return a.String()
}

func TestSARIF(t *testing.T) {
	out := render(t, "sarif")
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name, Version, InformationURI string
					Rules                         []struct {
						ID               string `json:"id"`
						ShortDescription struct{ Text string }
						FullDescription  struct{ Text string }
						Help             struct{ Text, Markdown string }
						Properties       map[string]any
					}
				}
			}
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Level     string
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI       string `json:"uri"`
							URIBaseID string `json:"uriBaseId"`
						}
						Region struct{ StartLine int }
					}
				}
				PartialFingerprints map[string]string
				Properties          map[string]any
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("version %q, %d runs", log.Version, len(log.Runs))
	}
	run := log.Runs[0]
	d := run.Tool.Driver
	if d.Name != "eksguard" || d.Version == "" || d.Version[0] < '0' || d.Version[0] > '9' || d.InformationURI == "" {
		t.Errorf("driver: %+v", d)
	}
	seen := map[string]bool{}
	for _, r := range d.Rules {
		if seen[r.ID] {
			t.Errorf("duplicate rule id %s", r.ID)
		}
		seen[r.ID] = true
		if r.ShortDescription.Text == "" || r.FullDescription.Text == "" || r.Help.Text == "" || !strings.Contains(r.Help.Markdown, "https://docs.aws.amazon.com/eks/") {
			t.Errorf("rule %s lacks descriptions or help: %+v", r.ID, r)
		}
		if _, ok := r.Properties["tags"].([]any); !ok {
			t.Errorf("rule %s: no tags", r.ID)
		}
	}
	if len(d.Rules) != 4 {
		t.Errorf("want 4 rules, got %d", len(d.Rules))
	}
	sev := map[string]string{}
	for _, r := range d.Rules {
		sev[r.ID], _ = r.Properties["security-severity"].(string)
	}
	if want := fmt.Sprintf("%.1f", rule.High.Score()); sev["EKS-001"] != want || sev["K8S-003"] != fmt.Sprintf("%.1f", rule.Low.Score()) {
		t.Errorf("security-severity: %v, want EKS-001 %s", sev, want)
	}
	if len(run.Results) != 5 {
		t.Fatalf("want 5 results, got %d", len(run.Results))
	}
	levels := []string{"error", "warning", "note", "error", "note"}
	for i, res := range run.Results {
		if d.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %d: ruleIndex %d is %s, not %s", i, res.RuleIndex, d.Rules[res.RuleIndex].ID, res.RuleID)
		}
		if res.Level != levels[i] {
			t.Errorf("result %d (%s): level %s, want %s", i, res.RuleID, res.Level, levels[i])
		}
		if res.Message.Text == "" || len(res.Locations) != 1 {
			t.Errorf("result %d: message or location missing", i)
			continue
		}
		loc := res.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URIBaseID != "%SRCROOT%" || strings.Contains(loc.ArtifactLocation.URI, "\\") ||
			strings.HasPrefix(loc.ArtifactLocation.URI, "/") || strings.Contains(loc.ArtifactLocation.URI, ":") {
			t.Errorf("result %d: artifact location %+v", i, loc.ArtifactLocation)
		}
		if loc.Region.StartLine < 1 {
			t.Errorf("result %d: startLine %d", i, loc.Region.StartLine)
		}
		if res.PartialFingerprints[SARIFFingerprintKey] == "" {
			t.Errorf("result %d: no partial fingerprint", i)
		}
	}
	if u := run.Results[3].Locations[0].PhysicalLocation; u.ArtifactLocation.URI != "infra/other.tf" || u.Region.StartLine != 1 {
		t.Errorf("finding without a line: %+v", u)
	}
	if run.Results[4].Properties["eksguard/status"] != "unknown" || run.Results[0].Properties["eksguard/status"] != "fail" {
		t.Errorf("status properties: %v / %v", run.Results[4].Properties, run.Results[0].Properties)
	}
}

func TestSARIFAbsolutePath(t *testing.T) {
	wd := t.TempDir()
	in := sarifURI(wd, filepath.Join(wd, "a", "b.tf"))
	if in.URI != "a/b.tf" || in.URIBaseID != "%SRCROOT%" {
		t.Errorf("inside: %+v", in)
	}
	if sp := sarifURI(wd, "./x y/c.tf"); sp.URI != "x%20y/c.tf" {
		t.Errorf("escape: %+v", sp)
	}
	out := sarifURI(filepath.Join(wd, "sub"), filepath.Join(wd, "c.tf"))
	if !strings.HasPrefix(out.URI, "file://") || out.URIBaseID != "" {
		t.Errorf("outside: %+v", out)
	}
}

func TestJUnit(t *testing.T) {
	out := render(t, "junit")
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Skipped  int `xml:"skipped,attr"`
		Suites   []struct {
			Name     string `xml:"name,attr"`
			Tests    int    `xml:"tests,attr"`
			Failures int    `xml:"failures,attr"`
			Skipped  int    `xml:"skipped,attr"`
			Cases    []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
					Type    string `xml:"type,attr"`
				} `xml:"failure"`
				Skipped *struct {
					Message string `xml:"message,attr"`
				} `xml:"skipped"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("invalid XML: %v\n%s", err, out)
	}
	if doc.Tests != 5 || doc.Failures != 4 || doc.Skipped != 1 || len(doc.Suites) != 4 {
		t.Fatalf("counts: tests %d failures %d skipped %d suites %d", doc.Tests, doc.Failures, doc.Skipped, len(doc.Suites))
	}
	s0 := doc.Suites[0]
	if !strings.HasPrefix(s0.Name, "EKS-001") || s0.Tests != 2 || s0.Failures != 2 || len(s0.Cases) != 2 {
		t.Errorf("suite 0: %+v", s0)
	}
	if f := s0.Cases[0].Failure; f == nil || f.Type != "high" || !strings.Contains(f.Message, "<xml> & \"quotes\"") {
		t.Errorf("failure: %+v", f)
	}
	for _, s := range doc.Suites {
		if strings.HasPrefix(s.Name, "EKS-004") && (s.Skipped != 1 || s.Cases[0].Skipped == nil || s.Cases[0].Failure != nil) {
			t.Errorf("unknown suite: %+v", s)
		}
	}
}

func TestMarkdown(t *testing.T) {
	out := render(t, "markdown")
	for _, want := range []string{
		"| 0 | 2 | 1 | 1 | 1 | 10 |", "failed", "`EKS-001`", "`infra/main.tf:12`", "`infra/other.tf`",
		"<details><summary>EKS-001 Public endpoint", "**Remediation:** fix EKS-001 | carefully",
		"1 unknown", "`EKS-004`", "&lt;xml&gt;",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
	// Most severe first: the low finding comes after the medium one.
	if strings.Index(out, "`K8S-003`") < strings.Index(out, "`EKS-002`") || strings.Index(out, "`EKS-002`") < strings.Index(out, "`EKS-001`") {
		t.Errorf("order:\n%s", out)
	}
	// Table rows stay one line each, and pipes in cells are escaped.
	for _, ln := range strings.Split(out, "\n") {
		if strings.HasPrefix(ln, "| ") && strings.Count(ln, "|")-strings.Count(ln, "\\|") < 5 {
			t.Errorf("broken row %q", ln)
		}
	}
	r := sampleReport()
	for i := 0; i < 30; i++ {
		r.Findings = append(r.Findings, r.Findings[2])
	}
	var b bytes.Buffer
	if err := WriteMarkdown(&b, r, Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "Top 20 of 34 findings") || strings.Count(b.String(), "<details><summary>K8S-003") != 17 {
		t.Errorf("top 20 not applied:\n%s", b.String())
	}
}

func TestGitHub(t *testing.T) {
	out := render(t, "github")
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != 5 {
		t.Fatalf("want 5 lines, got %d:\n%s", len(lines), out)
	}
	want := []string{
		"::error file=infra/main.tf,line=12,title=EKS-001 Public endpoint::aws_eks_cluster.this: message for EKS-001 with <xml> & \"quotes\", 100%25 sure%0Asecond line%0ARemediation: fix EKS-001 | carefully",
		"::warning file=infra/main.tf,line=20,title=EKS-002 Logging off::",
		"::notice file=k8s/web.yaml,line=5,title=K8S-003 Latest tag::",
		"::error file=infra/other.tf,title=EKS-001 Public endpoint::",
		"::notice file=infra/main.tf,line=14,title=unknown%3A EKS-004 CIDR from a variable::",
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("line %d:\n got %s\nwant %s", i, lines[i], w)
		}
	}
	if got := ghProp("a:b,c%d\ne"); got != "a%3Ab%2Cc%25d%0Ae" {
		t.Errorf("ghProp: %s", got)
	}
	if got := ghData("a:b,c%d\r\ne"); got != "a:b,c%25d%0D%0Ae" {
		t.Errorf("ghData: %s", got)
	}
}

// TestIncomplete: the module calls that were not read reach every format
// at their module block, and JSON writes [] rather than null for a
// complete scan.
func TestIncomplete(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, sampleReport(), Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"incomplete": []`) {
		t.Errorf("complete report: no \"incomplete\": []\n%s", b.String())
	}

	r := sampleReport()
	r.Summary.Incomplete = []report.UnreadCall{
		{Call: "module.vpc", Source: "terraform-aws-modules/vpc/aws", File: "infra/main.tf", Line: 3, Reason: "not downloaded: run terraform init"},
		{Call: "module.eks.module.kms", Source: "", File: "infra/modules/eks/kms.tf", Line: 9, Reason: "its source is not a literal string"},
	}
	out := func(w Writer) string {
		var b bytes.Buffer
		if err := w(&b, r, Options{}); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	headline := "incomplete: 2 module calls not read (their resources were not checked)"
	for format, wants := range map[string][]string{
		"text":     {"Gate: FAILED", headline, "module.vpc (terraform-aws-modules/vpc/aws) infra/main.tf:3: not downloaded", "module.eks.module.kms () infra/modules/eks/kms.tf:9"},
		"markdown": {headline, "- `module.vpc` (`terraform-aws-modules/vpc/aws`) at `infra/main.tf:3`: not downloaded"},
		"github": {"::warning file=infra/main.tf,line=3,title=incomplete%3A module.vpc not read::module.vpc (terraform-aws-modules/vpc/aws) is not read: not downloaded: run terraform init. Its resources were not checked.",
			"::warning file=infra/modules/eks/kms.tf,line=9,title=incomplete%3A module.eks.module.kms not read::"},
		"html":  {`<div id="incomplete"`, headline, "<code>module.vpc</code> (terraform-aws-modules/vpc/aws) at infra/main.tf:3"},
		"junit": {`<testcase name="module.vpc" classname="eksguard/incomplete" file="infra/main.tf" line="3">`, `<skipped message="not read (terraform-aws-modules/vpc/aws)`},
		"json":  {`"incomplete": [`, `"call": "module.vpc"`, `"line": 3`},
	} {
		w, err := Get(format)
		if err != nil {
			t.Fatal(err)
		}
		got := out(w)
		for _, want := range wants {
			if !strings.Contains(got, want) {
				t.Errorf("%s lacks %q:\n%s", format, want, got)
			}
		}
	}
	// The verdict comes first, then what it does not cover.
	if txt := out(WriteText); strings.Index(txt, headline) < strings.Index(txt, "Gate: FAILED") {
		t.Errorf("text: incomplete line before the verdict:\n%s", txt)
	}

	var doc struct {
		Tests   int `xml:"tests,attr"`
		Skipped int `xml:"skipped,attr"`
	}
	if err := xml.Unmarshal([]byte(out(WriteJUnit)), &doc); err != nil || doc.Tests != 7 || doc.Skipped != 3 {
		t.Errorf("junit counts: tests %d skipped %d (%v), want 7 and 3", doc.Tests, doc.Skipped, err)
	}

	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Notifications []struct{ ID string }
				}
			}
			Invocations []struct {
				ExecutionSuccessful        bool
				ToolExecutionNotifications []struct {
					Descriptor struct {
						ID    string
						Index int
					}
					Level     string
					Message   struct{ Text string }
					Locations []struct {
						PhysicalLocation struct {
							ArtifactLocation struct{ URI string }
							Region           struct{ StartLine int }
						}
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(out(WriteSARIF)), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if len(run.Tool.Driver.Notifications) != 1 || run.Tool.Driver.Notifications[0].ID != IncompleteID {
		t.Errorf("driver notifications: %+v", run.Tool.Driver.Notifications)
	}
	if len(run.Invocations) != 1 || !run.Invocations[0].ExecutionSuccessful || len(run.Invocations[0].ToolExecutionNotifications) != 2 {
		t.Fatalf("invocations: %+v", run.Invocations)
	}
	for i, n := range run.Invocations[0].ToolExecutionNotifications {
		u := r.Summary.Incomplete[i]
		loc := n.Locations[0].PhysicalLocation
		if n.Descriptor.ID != IncompleteID || n.Descriptor.Index != 0 || n.Level != "warning" ||
			!strings.Contains(n.Message.Text, u.Call) || !strings.Contains(n.Message.Text, u.Reason) ||
			loc.ArtifactLocation.URI != u.File || loc.Region.StartLine != u.Line {
			t.Errorf("notification %d: %+v", i, n)
		}
	}
}

// TestIncompleteHeadlineNoun: a CloudFormation include among the unread
// entries is not called a module call.
func TestIncompleteHeadlineNoun(t *testing.T) {
	tf := []report.UnreadCall{{Call: "module.vpc"}}
	cfn := append(tf, report.UnreadCall{Call: "stack.yaml#Resources.Fn::Transform", Source: "s3://snippets/r.yaml"})
	if got := incompleteHeadline(tf); got != "incomplete: 1 module call not read (its resources were not checked)" {
		t.Errorf("terraform: %s", got)
	}
	if got := incompleteHeadline(cfn); got != "incomplete: 2 parts of the input not read (their resources were not checked)" {
		t.Errorf("with an include: %s", got)
	}
}

// TestTextNotRootNotices: the text report names the Terraform directories
// left out as only ever modules (their resources were not checked) apart
// from the files skipped.
func TestTextNotRootNotices(t *testing.T) {
	r := sampleReport()
	r.Notices = []diag.Diagnostic{
		{Severity: diag.Notice, File: "infra/modules/irsa/main.tf", Line: 1,
			Summary: "infra/modules/irsa" + diag.NotRoot + "it is only used as a module (it sits under modules/); scan it on its own to check it"},
		{Severity: diag.Notice, File: "infra/.pre-commit-config.yaml", Summary: "kind of input not recognised"},
	}
	var b bytes.Buffer
	if err := WriteText(&b, r, Options{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"1 Terraform directory only used as a module and called by no scanned root module, not checked: infra/modules/irsa; scan it on its own to check it",
		"1 file skipped (kind not recognised",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, b.String())
		}
	}
}

// TestTextPlanBesideNotices: the text report names the directories whose
// plan was checked instead of the .tf files beside it, and the resources
// of those .tf files the plan lacks, apart from the files skipped.
func TestTextPlanBesideNotices(t *testing.T) {
	r := sampleReport()
	r.Notices = []diag.Diagnostic{
		{Severity: diag.Notice, File: "infra/live", Summary: "infra/live: the plan plan.json is checked" + diag.PlanBeside},
		{Severity: diag.Notice, File: "infra/live", Summary: "infra/live: 1 resource the .tf files declare is" + diag.NotInPlan,
			Detail: "aws_s3_bucket.logs: the plan was made with other variables"},
		{Severity: diag.Notice, File: "infra/.pre-commit-config.yaml", Summary: "kind of input not recognised"},
	}
	var b bytes.Buffer
	if err := WriteText(&b, r, Options{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"1 Terraform directory holds .tf files and a plan: the plan is checked, the .tf files only place its findings: infra/live",
		"infra/live: 1 resource the .tf files declare is not in the plan, so not checked: aws_s3_bucket.logs: the plan was made with other variables",
		"1 file skipped (kind not recognised",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, b.String())
		}
	}
}

// TestSARIFHelpURI: a rule's helpUri is its first documentation reference
// with an address, ahead of a practice source cited before it (a vendor's
// page, a blog post); with only practice sources, the first of them.
func TestSARIFHelpURI(t *testing.T) {
	guide := rule.Reference{Kind: "eks-bpg", Title: "EKS Best Practices Guide: Data", URL: "https://docs.aws.amazon.com/eks/latest/best-practices/data-encryption-and-secrets-management.html"}
	blog := rule.Reference{Kind: "blog", Title: "Snyk: Four steps for hardening Amazon EKS security", URL: "https://snyk.io/blog/hardening-amazon-eks-security/"}
	page := rule.Reference{Kind: "team-page", Title: "DevSecOps: Security actions/settings"}
	custom := rule.Reference{Kind: "custom", Title: "policy docs", URL: "https://example.com/policy"}
	for _, c := range []struct {
		refs []rule.Reference
		want string
	}{
		{[]rule.Reference{page, blog, guide}, guide.URL},
		{[]rule.Reference{blog, page}, blog.URL},
		{[]rule.Reference{custom, guide}, custom.URL},
		{[]rule.Reference{page}, ""},
	} {
		f := fmtFinding("EKS-003", "Secrets not encrypted", rule.High, "fail", "aws_eks_cluster.this", "infra/main.tf", 7)
		f.References = c.refs
		if got := sarifRuleOf(f).HelpURI; got != c.want {
			t.Errorf("references %v: helpUri %q, want %q", c.refs, got, c.want)
		}
	}
}
