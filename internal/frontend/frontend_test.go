package frontend

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/testutil/plangen"
)

func TestLoadKeepsGoingPastBadInputs(t *testing.T) {
	dir := t.TempDir()
	plan := plangen.Generate(20)
	write := func(name string, data []byte) {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("good.json", plan)
	write("truncated.json", plan[:len(plan)/3])
	write("binary.json", []byte{0x7b, 0x00, 0x01, 0x02})
	write("package.json", []byte(`{"name": "web", "version": "1.0.0"}`))
	write(".terraform/ignored.json", plan)
	// A symbolic link loop must not make the walk endless.
	if err := os.Symlink(dir, filepath.Join(dir, "loop")); err != nil {
		t.Fatal(err)
	}

	res := Load([]string{dir}, Options{})
	if res.Graph.Len() != 20 {
		t.Errorf("loaded %d resources, want the 20 of good.json", res.Graph.Len())
	}
	var errs, notices []diag.Diagnostic
	for _, d := range res.Diags {
		switch d.Severity {
		case diag.Error:
			errs = append(errs, d)
		case diag.Notice:
			notices = append(notices, d)
		}
	}
	if len(errs) != 1 || !strings.HasSuffix(errs[0].File, "truncated.json") || errs[0].Line < 1 {
		t.Errorf("want one positioned error for truncated.json, got %v", errs)
	}
	if len(notices) != 2 || !strings.HasSuffix(notices[0].File, "binary.json") || !strings.HasSuffix(notices[1].File, "package.json") {
		t.Errorf("want a notice for binary.json and one for package.json, got %v", notices)
	}
}

func TestExplicitInputs(t *testing.T) {
	dir := t.TempDir()
	other := filepath.Join(dir, "policy.json")
	os.WriteFile(other, []byte(`{"foo": 1}`), 0o644)
	res := Load([]string{other, filepath.Join(dir, "missing.json")}, Options{})
	if len(res.Diags) != 2 || res.Diags[0].Severity != diag.Error || res.Diags[1].Severity != diag.Error {
		t.Errorf("an explicitly named file of unknown kind and a missing file are errors: %v", res.Diags)
	}
	res = Load([]string{"-"}, Options{Stdin: strings.NewReader(string(plangen.Generate(10)))})
	if res.Graph.Len() != 10 || len(res.Files) != 1 || res.Files[0].Path != "<stdin>" {
		t.Errorf("stdin: %d resources, files %v", res.Graph.Len(), res.Files)
	}
}

func TestPlanMapsToSource(t *testing.T) {
	tf := "resource \"aws_subnet\" \"pub\" {\n  count                   = 1\n  cidr_block              = \"10.0.0.0/24\"\n  map_public_ip_on_launch = true\n}\n"
	plan := `{"format_version": "1.2", "resource_changes": [
	  {"address": "aws_subnet.pub[0]", "mode": "managed", "type": "aws_subnet", "name": "pub", "index": 0,
	   "change": {"actions": ["create"], "after": {"cidr_block": "10.0.0.0/24", "map_public_ip_on_launch": true}, "after_unknown": {"id": true}}}]}`
	check := func(res *Result, tfFile string) {
		t.Helper()
		if res.Graph.Len() != 1 {
			t.Fatalf("%d resources: the .tf files must only locate the plan's resources", res.Graph.Len())
		}
		r := res.Graph.Resources()[0]
		if r.Range.File != tfFile || r.Range.Line != 1 {
			t.Errorf("resource at %+v, want %s:1", r.Range, tfFile)
		}
		if v := r.Get("map_public_ip_on_launch"); v.Range.File != tfFile || v.Range.Line != 4 {
			t.Errorf("attribute at %+v, want %s:4", v.Range, tfFile)
		}
		if v := r.Get("id"); !v.IsUnknown() || v.Range.Line != 1 {
			t.Errorf("a computed attribute is located at its resource: %+v", v)
		}
	}

	beside := t.TempDir()
	os.WriteFile(filepath.Join(beside, "main.tf"), []byte(tf), 0o644)
	os.WriteFile(filepath.Join(beside, "plan.json"), []byte(plan), 0o644)
	res := Load([]string{beside}, Options{})
	check(res, filepath.ToSlash(filepath.Join(beside, "main.tf")))
	// Which of the two was read is said, once, naming the directory.
	if len(res.Diags) != 1 || res.Diags[0].Severity != diag.Notice || res.Diags[0].File != filepath.ToSlash(beside) ||
		res.Diags[0].Summary != filepath.ToSlash(beside)+": the plan plan.json is checked, not the .tf files beside it" {
		t.Errorf("want one notice that the plan is read, not the .tf files, got %v", res.Diags)
	}

	planDir, srcDir := t.TempDir(), t.TempDir()
	os.WriteFile(filepath.Join(srcDir, "main.tf"), []byte(tf), 0o644)
	os.WriteFile(filepath.Join(planDir, "plan.json"), []byte(plan), 0o644)
	res = Load([]string{filepath.Join(planDir, "plan.json")}, Options{TfDir: srcDir})
	check(res, filepath.ToSlash(filepath.Join(srcDir, "main.tf")))
	if len(res.Diags) != 0 {
		t.Errorf("--tf-dir names the plan's source: nothing to say, got %v", res.Diags)
	}

	// Resources of the .tf files the plan does not have are named: they
	// are not checked.
	extra := tf + "\nresource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"acme-logs\"\n}\n\ndata \"aws_caller_identity\" \"me\" {}\n"
	stale := t.TempDir()
	os.WriteFile(filepath.Join(stale, "main.tf"), []byte(extra), 0o644)
	os.WriteFile(filepath.Join(stale, "plan.json"), []byte(plan), 0o644)
	os.WriteFile(filepath.Join(stale, "plan2.json"), []byte(strings.ReplaceAll(plan, "aws_subnet.pub[0]", "aws_subnet.pub[1]")), 0o644)
	res = Load([]string{stale}, Options{})
	want := filepath.ToSlash(stale) + ": 1 resource the .tf files declare is not in the plan, so not checked"
	if len(res.Diags) != 2 || res.Diags[0].Severity != diag.Notice ||
		res.Diags[0].Summary != filepath.ToSlash(stale)+": the plans plan.json, plan2.json are checked, not the .tf files beside it" ||
		res.Diags[1].Severity != diag.Notice || res.Diags[1].Summary != want || !strings.HasPrefix(res.Diags[1].Detail, "aws_s3_bucket.logs:") {
		t.Errorf("want a notice that the plans are read and one naming aws_s3_bucket.logs as not in the plan, got %v", res.Diags)
	}
	res = Load([]string{filepath.Join(planDir, "plan.json")}, Options{TfDir: stale})
	if len(res.Diags) != 1 || res.Diags[0].Summary != want || !strings.HasPrefix(res.Diags[0].Detail, "aws_s3_bucket.logs:") {
		t.Errorf("--tf-dir: want a notice naming aws_s3_bucket.logs as not in the plan, got %v", res.Diags)
	}
}

// TestKubernetesEdges: objects that name each other by name are linked in
// the graph, across formats for IRSA (a manifest's ServiceAccount to the
// Terraform role it names).
func TestKubernetesEdges(t *testing.T) {
	res := Load([]string{"../../examples/shop"}, Options{})
	edges := map[string]bool{}
	for _, e := range res.Graph.SortedEdges() {
		edges[e.From.Address+" -"+e.Attr+"-> "+e.To.Address] = true
	}
	for _, want := range []string{
		"NetworkPolicy/data/allow-dns -metadata.namespace-> Namespace/data",
		"Deployment/storefront/web -spec.template.spec.serviceAccountName-> ServiceAccount/storefront/storefront",
		"CronJob/batch/cleanup -spec.jobTemplate.spec.template.spec.serviceAccountName-> ServiceAccount/batch/batch-cleanup",
		"ServiceAccount/storefront/storefront -metadata.annotations-> aws_iam_role.irsa[\"storefront-app\"]",
		"ServiceAccount/batch/batch -metadata.annotations-> aws_iam_role.batch_reports",
		"RoleBinding/ci-runners/runner -roleRef.name-> Role/ci-runners/runner",
		"ClusterRoleBinding/platform-readonly -roleRef.name-> ClusterRole/platform-readonly",
	} {
		if !edges[want] {
			t.Errorf("missing edge %s", want)
		}
	}
	// No namespace object was scanned for ci-runners, and cert-manager's
	// role is not in the code: nothing to link to.
	for e := range edges {
		if strings.HasPrefix(e, "Deployment/ci-runners/runner -metadata.namespace") || strings.HasPrefix(e, "ServiceAccount/platform/cert-manager -metadata.annotations") {
			t.Errorf("unexpected edge %s", e)
		}
	}
}
