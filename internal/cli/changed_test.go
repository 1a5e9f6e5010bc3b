package cli

import (
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/finding"
	"github.com/eksguard/eksguard/internal/report"
)

const publicCluster = `resource "aws_eks_cluster" "main" {
  name     = "main"
  role_arn = "arn:aws:iam::111122223333:role/eks"
  vpc_config {
    subnet_ids             = ["subnet-1"]
    endpoint_public_access = true
    public_access_cidrs    = ["0.0.0.0/0"]
  }
}
`

// TestChangedFiles: with --changed-files the PATHs are the files a change
// touched, as pre-commit passes them: each is read as a walk reads what it
// meets, so a file of no kind eksguard reads (package.json, a JSONC
// tsconfig.json, a Helm template) or one the change deleted is a notice,
// the skipped directories and eksguard's own files are left out, a .tf
// file (even a deleted one) stands for its directory, judged as in a walk
// (a module is read through a root module that calls it, else noted, so
// its insecure defaults are not judged without its caller's values), and a
// change with no input in it passes.
func TestChangedFiles(t *testing.T) {
	dir := repo(t, map[string]string{
		"infra/main.tf":                publicCluster,
		"platform/main.tf":             "module \"eks\" {\n  source = \"../modules/eks\"\n  cidrs  = [\"10.0.0.0/8\"]\n}\n",
		"modules/eks/main.tf":          strings.Replace(publicCluster, `["0.0.0.0/0"]`, "var.cidrs", 1),
		"modules/eks/variables.tf":     "variable \"cidrs\" {\n  default = [\"0.0.0.0/0\"]\n}\n",
		"package.json":                 `{"name": "web", "version": "1.0.0"}`,
		"web/tsconfig.json":            tsconfig,
		"chart/templates/deploy.yaml":  "{{- if .Values.enabled }}\nkind: Deployment\n  bad: [\n{{- end }}\n",
		"apps/pod.yaml":                failingPod,
		"legacy/pod.yaml":              failingPod,
		"node_modules/chart/pod.yaml":  failingPod,
		".terraform/modules/x/main.tf": publicCluster,
		".eksguard.yaml":               "skip-dirs: [legacy]\n",
		"docs/README.md":               "# docs\n",
	})
	t.Chdir(dir)
	inputs := func(r *report.Report) string {
		var out []string
		for _, in := range r.Inputs {
			out = append(out, in.Kind+":"+filepath.ToSlash(in.Path))
		}
		sort.Strings(out)
		return strings.Join(out, " ")
	}
	notices := func(r *report.Report) string {
		var out []string
		for _, n := range r.Notices {
			out = append(out, filepath.ToSlash(n.File))
		}
		sort.Strings(out)
		return strings.Join(out, " ")
	}
	for _, c := range []struct {
		files           []string
		code            int
		inputs, notices string
		rule, absent    string
	}{
		{[]string{"package.json", "web/tsconfig.json", "chart/templates/deploy.yaml", ".eksguard.yaml", "docs/README.md",
			"legacy/pod.yaml", "node_modules/chart/pod.yaml", ".terraform/modules/x/main.tf", "gone.yaml"},
			ExitOK, "", "chart/templates/deploy.yaml gone.yaml package.json web/tsconfig.json", "", ""},
		{[]string{"package.json", "infra/main.tf"}, ExitGate, "terraform:infra", "package.json", "EKS-002", ""},
		{[]string{"infra/deleted.tf"}, ExitGate, "terraform:infra", "", "EKS-002", ""},
		{[]string{"apps/pod.yaml", "web/tsconfig.json"}, ExitGate, "kubernetes:apps/pod.yaml", "web/tsconfig.json", "K8S-010", ""},
		// A module alone is not judged on its defaults.
		{[]string{"modules/eks/variables.tf"}, ExitOK, "", "modules/eks/main.tf", "", ""},
		// With its caller, it is read through the call, with the caller's
		// values: the cluster's secrets are not encrypted, but its
		// endpoint is open to 10.0.0.0/8 only.
		{[]string{"modules/eks/main.tf", "platform/main.tf"}, ExitGate, "terraform:platform", "", "EKS-003", "EKS-002"},
	} {
		code, r := scanJSON(t, append([]string{"--changed-files"}, c.files...)...)
		if code != c.code || len(r.Errors) != 0 || inputs(r) != c.inputs || notices(r) != c.notices {
			t.Errorf("--changed-files %v: exit %d, errors %v, inputs %q, notices %q; want %d, none, %q, %q",
				c.files, code, r.Errors, inputs(r), notices(r), c.code, c.inputs, c.notices)
		}
		has := func(id string) bool {
			return slices.ContainsFunc(r.Findings, func(f finding.Finding) bool { return f.RuleID == id })
		}
		if c.rule != "" && !has(c.rule) {
			t.Errorf("--changed-files %v: no %s finding", c.files, c.rule)
		}
		if c.absent != "" && has(c.absent) {
			t.Errorf("--changed-files %v: a %s finding", c.files, c.absent)
		}
	}
	// Named without the flag, a file of no kind eksguard reads is an error.
	if code, r := scanJSON(t, "package.json"); code != ExitInput || len(r.Errors) != 1 {
		t.Errorf("package.json named: exit %d, errors %v; want 2 and one error", code, r.Errors)
	}
}
