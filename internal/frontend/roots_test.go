package frontend

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/frontend/tfhcl"
)

// moduleOnlyTree writes files under a new directory and returns it.
func moduleOnlyTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func addresses(res *Result) []string {
	var out []string
	for _, r := range res.Graph.Resources() {
		out = append(out, r.Address)
	}
	sort.Strings(out)
	return out
}

func terraformInputs(res *Result, base string) []string {
	var out []string
	for _, f := range res.Files {
		if f.Kind == KindTerraform {
			rel, _ := filepath.Rel(base, filepath.FromSlash(f.Path))
			out = append(out, filepath.ToSlash(rel))
		}
	}
	sort.Strings(out)
	return out
}

// notRootNotices maps each directory reported as not scanned as a root
// module (relative to base) to its notice.
func notRootNotices(t *testing.T, res *Result, base string) map[string]diag.Diagnostic {
	t.Helper()
	out := map[string]diag.Diagnostic{}
	for _, d := range res.Diags {
		if !strings.Contains(d.Summary, "is not scanned as a root module") {
			continue
		}
		if d.Severity != diag.Notice {
			t.Errorf("want a notice, got %v", d)
		}
		dir, _, _ := strings.Cut(d.Summary, " is not scanned")
		rel, _ := filepath.Rel(base, filepath.FromSlash(dir))
		rel = filepath.ToSlash(rel)
		if _, dup := out[rel]; dup {
			t.Errorf("%s reported twice", rel)
		}
		out[rel] = d
	}
	return out
}

// TestModulesDirNotRoot: a directory under modules/ that no root module
// calls (here: only from a commented-out block) is not evaluated as a root
// of its own, nor is a module directory only it calls; each says so in
// one notice at its first file. A module directory a root calls is still
// read through that call, and a directory that looks like a root, called
// only by a left-out module, becomes a root.
func TestModulesDirNotRoot(t *testing.T) {
	dir := moduleOnlyTree(t, map[string]string{
		"main.tf": `module "used" {
  source = "./modules/used"
  name   = "used"
}
# module "optional" {
#   source = "./modules/optional"
# }
`,
		"modules/used/main.tf": `variable "name" {}
resource "aws_sqs_queue" "q" {
  name = var.name
}
`,
		"modules/optional/a.tf": `resource "aws_iam_role" "admin" {
  name               = "optional-admin"
  assume_role_policy = "{}"
}
`,
		"modules/optional/b.tf": `module "sub" {
  source = "./sub"
}
module "shared" {
  source = "../../shared"
}
`,
		"modules/optional/sub/main.tf": `resource "aws_sqs_queue" "sub" {}
`,
		"shared/main.tf": `variable "prefix" {
  default = "shared"
}
resource "aws_sqs_queue" "shared" {
  name = var.prefix
}
`,
	})
	res := Load([]string{dir}, Options{})
	if got, want := terraformInputs(res, dir), []string{".", "shared"}; !slices.Equal(got, want) {
		t.Errorf("root modules %v, want %v", got, want)
	}
	if got, want := addresses(res), []string{"aws_sqs_queue.shared", "module.used.aws_sqs_queue.q"}; !slices.Equal(got, want) {
		t.Errorf("resources %v, want %v", got, want)
	}
	ns := notRootNotices(t, res, dir)
	if len(ns) != 2 {
		t.Fatalf("want notices for modules/optional and modules/optional/sub, got %v", ns)
	}
	n, ok := ns["modules/optional"]
	if !ok || !strings.Contains(n.Summary, "it sits under modules/") ||
		filepath.ToSlash(n.File) != filepath.ToSlash(filepath.Join(dir, "modules/optional/a.tf")) || n.Line != 1 {
		t.Errorf("modules/optional: %v", n)
	}
	if _, ok := ns["modules/optional/sub"]; !ok {
		t.Errorf("modules/optional/sub not reported: %v", ns)
	}
	for _, d := range res.Diags {
		if d.Severity != diag.Notice {
			t.Errorf("unexpected diagnostic %v", d)
		}
	}
}

// TestRequiredVariableNotRoot: a directory declaring a variable with no
// default is a module, not a root, unless something gives the value: a
// variables file beside it (auto-loaded or not), --var or --var-file
// naming the variable; a backend or cloud block marks a root whatever its
// variables.
func TestRequiredVariableNotRoot(t *testing.T) {
	required := "variable \"region\" {\n  type = string\n}\nvariable \"size\" {}\nvariable \"opt\" {\n  default = null\n}\nresource \"aws_sqs_queue\" \"q\" {}\n"
	dir := moduleOnlyTree(t, map[string]string{
		"lib/main.tf":                 required,
		"tfvars/main.tf":              required,
		"tfvars/terraform.tfvars":     "region = \"eu-west-1\"\n",
		"prodvars/main.tf":            required,
		"prodvars/prod.tfvars":        "region = \"eu-west-1\"\nsize = 2\n",
		"jsonvars/main.tf":            required,
		"jsonvars/x.auto.tfvars.json": "{\"size\": 1}\n",
		"backend/main.tf":             required + "terraform {\n  backend \"s3\" {}\n}\n",
		"cloud/main.tf.json":          `{"variable": {"region": {}}, "terraform": [{"cloud": {"organization": "o"}}], "resource": {"aws_sqs_queue": {"q": {}}}}`,
		"jsonlib/main.tf.json":        `{"variable": {"region": {}, "opt": {"default": null}}, "resource": {"aws_sqs_queue": {"q": {}}}}`,
		"defaults/main.tf":            "variable \"opt\" {\n  default = null\n}\nresource \"aws_sqs_queue\" \"q\" {}\n",
	})
	res := Load([]string{dir}, Options{})
	want := []string{"backend", "cloud", "defaults", "jsonvars", "prodvars", "tfvars"}
	if got := terraformInputs(res, dir); !slices.Equal(got, want) {
		t.Errorf("root modules %v, want %v", got, want)
	}
	ns := notRootNotices(t, res, dir)
	if len(ns) != 2 {
		t.Fatalf("want notices for lib and jsonlib, got %v", ns)
	}
	n := ns["lib"]
	if !strings.Contains(n.Summary, `variable "region" has no default and no value is given`) ||
		filepath.ToSlash(n.File) != filepath.ToSlash(filepath.Join(dir, "lib/main.tf")) || n.Line != 1 || n.Column != 1 {
		t.Errorf("lib: %v", n)
	}
	if !strings.Contains(ns["jsonlib"].Summary, `variable "region"`) {
		t.Errorf("jsonlib: %v", ns["jsonlib"])
	}

	// --var and --var-file give values to every root module: a variable
	// named in one is given.
	varFile := filepath.Join(t.TempDir(), "common.tfvars")
	if err := os.WriteFile(varFile, []byte("size = 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res = Load([]string{dir}, Options{Vars: map[string]string{"region": "eu-west-1"}, VarFiles: []string{varFile}})
	if got := terraformInputs(res, dir); !slices.Contains(got, "lib") || !slices.Contains(got, "jsonlib") {
		t.Errorf("with --var region and --var-file setting size: root modules %v", got)
	}
	if ns := notRootNotices(t, res, dir); len(ns) != 0 {
		t.Errorf("with every value given: %v", ns)
	}
	res = Load([]string{dir}, Options{Vars: map[string]string{"region": "eu-west-1"}})
	if n := notRootNotices(t, res, dir)["lib"]; !strings.Contains(n.Summary, `variable "size"`) || n.Line != 4 {
		t.Errorf("with --var region only, size is still missing: %v", n)
	}
	// TF_VAR_size in the environment gives size, as in Terraform.
	env := func(name string) bool { return name == "size" }
	res = Load([]string{dir}, Options{Vars: map[string]string{"region": "eu-west-1"}, VarInEnv: env})
	if got := terraformInputs(res, dir); !slices.Contains(got, "lib") {
		t.Errorf("with --var region and TF_VAR_size set: root modules %v", got)
	}
}

// TestRootSignsBesideRequiredVariable: a directory with a variable nothing
// gives a value for is still a root module when it configures a provider
// or has been initialised as one (a dependency lock file, or
// .terraform/modules/modules.json that terraform init writes): every
// terraform-aws-eks-blueprints pattern that asks for a token or a
// capacity reservation id is deployed this way. A provider block that is
// empty or only names an alias is how a module declares the provider it
// receives (Terraform's proxy configuration block), no sign of a root; nor
// is any of these under modules/.
func TestRootSignsBesideRequiredVariable(t *testing.T) {
	required := "variable \"token\" {\n  sensitive = true\n}\nresource \"aws_sqs_queue\" \"q\" {}\n"
	dir := moduleOnlyTree(t, map[string]string{
		"provider/main.tf":                            required + "provider \"aws\" {\n  region = \"eu-west-1\"\n}\n",
		"jsonprovider/main.tf.json":                   `{"variable": {"token": {}}, "provider": {"aws": {"region": "eu-west-1"}}}`,
		"emptyprovider/main.tf":                       required + "provider \"aws\" {}\n",
		"locked/main.tf":                              required,
		"locked/.terraform.lock.hcl":                  "# This file is maintained automatically by \"terraform init\".\n",
		"initialised/main.tf":                         required,
		"initialised/.terraform/modules/modules.json": `{"Modules":[{"Key":"","Source":"","Dir":"."}]}`,
		"proxy/main.tf":                               required + "provider \"aws\" {\n  alias = \"east\"\n}\n",
		"modules/lib/main.tf":                         required + "provider \"aws\" {\n  region = \"eu-west-1\"\n}\n",
		"modules/lib/.terraform.lock.hcl":             "\n",
	})
	res := Load([]string{dir}, Options{})
	want := []string{"initialised", "jsonprovider", "locked", "provider"}
	if got := terraformInputs(res, dir); !slices.Equal(got, want) {
		t.Errorf("root modules %v, want %v", got, want)
	}
	ns := notRootNotices(t, res, dir)
	_, proxy := ns["proxy"]
	_, empty := ns["emptyprovider"]
	if !proxy || !empty || len(ns) != 3 {
		t.Errorf("want notices for proxy, emptyprovider and modules/lib, got %v", ns)
	}
	if !strings.Contains(ns["modules/lib"].Summary, "it sits under modules/") {
		t.Errorf("modules/lib: %v", ns["modules/lib"])
	}
}

// TestModuleOnlyNamed: a module-only directory named on the command line
// (the directory, or one of its files) is scanned as a root module; a
// modules directory named is not itself a reason to leave out what is
// below it. A scan that finds only such directories checked nothing, an
// error that says so.
func TestModuleOnlyNamed(t *testing.T) {
	dir := moduleOnlyTree(t, map[string]string{
		"modules/irsa/main.tf":  "variable \"role_name\" {}\nresource \"aws_iam_role\" \"this\" {\n  name               = var.role_name\n  assume_role_policy = \"{}\"\n}\n",
		"modules/queue/main.tf": "resource \"aws_sqs_queue\" \"q\" {}\n",
	})
	for _, p := range []string{filepath.Join(dir, "modules/irsa"), filepath.Join(dir, "modules/irsa/main.tf")} {
		res := Load([]string{p}, Options{})
		if got := addresses(res); !slices.Equal(got, []string{"aws_iam_role.this"}) {
			t.Errorf("scan %s: resources %v", p, got)
		}
		if ns := notRootNotices(t, res, dir); len(ns) != 0 {
			t.Errorf("scan %s: %v", p, ns)
		}
	}
	res := Load([]string{filepath.Join(dir, "modules")}, Options{})
	if got := addresses(res); !slices.Equal(got, []string{"aws_sqs_queue.q"}) {
		t.Errorf("scan modules: resources %v", got)
	}
	if ns := notRootNotices(t, res, dir); len(ns) != 1 || !strings.Contains(ns["modules/irsa"].Summary, `variable "role_name"`) {
		t.Errorf("scan modules: %v", ns)
	}
	res = Load([]string{dir}, Options{})
	if got := addresses(res); len(got) != 0 {
		t.Errorf("scan the repository: resources %v", got)
	}
	if ns := notRootNotices(t, res, dir); len(ns) != 2 {
		t.Errorf("scan the repository: %v", ns)
	}
	// Nothing was checked: that stays an error, which says why.
	errs := 0
	for _, d := range res.Diags {
		if d.Severity == diag.Error {
			errs++
			if !strings.Contains(d.Summary, "no root module under") || !strings.Contains(d.Summary, "2 directories") {
				t.Errorf("scan the repository: %v", d)
			}
		}
	}
	if errs != 1 {
		t.Errorf("scan the repository: want one error, got %v", res.Diags)
	}
}

// TestTfUsesForgetAfterLastRoot: a directory's parse leaves the run's
// cache once the last root module reaching it, directly or through other
// modules, was read; one reached through a directory not known from
// choosing the roots is never counted, so never dropped.
func TestTfUsesForgetAfterLastRoot(t *testing.T) {
	res := &Result{tfDirs: []string{"r1", "r2", "m", "s", "called"}, tfInfo: map[string]*tfhcl.DirInfo{
		"r1":     {Calls: []string{"m", "s", "unknown"}},
		"r2":     {Calls: []string{"./m"}},
		"m":      {Calls: []string{"s"}},
		"s":      {},
		"called": {},
	}, tfVet: map[string]*tfDirCheck{"r1": {}, "r2": {}, "m": {}, "s": {}, "called": {}, "unknown": {}}}
	u := res.tfUsers(func(d string) bool { return d == "r1" || d == "r2" })
	var forgot []string
	forget := func(d string) { forgot = append(forgot, d) }
	u.done("r1", forget)
	if !slices.Equal(forgot, []string{"r1"}) {
		t.Errorf("after r1: forgot %v, want r1 alone (r2 reaches m, and s through it)", forgot)
	}
	u.done("r2", forget)
	sort.Strings(forgot)
	if !slices.Equal(forgot, []string{"m", "r1", "r2", "s"}) {
		t.Errorf("after r2: forgot %v", forgot)
	}
}
