package tfhcl

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// writeShared lays out two root modules, a and b, that call one local
// module with different inputs, as a repository's examples call its root
// module. The module has a .tf.json file, a file that does not parse and
// one nested too deep, so their diagnostics must be given again by every
// reader; a has a module terraform init installed.
func writeShared(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"shared/main.tf": `variable "name" {
  type = string
}
locals {
  tags = { Name = var.name, Policy = "${var.name}-$${literal}" }
}
resource "aws_kms_key" "k" {
  description         = upper(var.name)
  enable_key_rotation = var.name == "a"
  tags                = local.tags
}
resource "aws_iam_role" "r" {
  name               = "${var.name}-role"
  assume_role_policy = <<-EOT
    {"Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
  EOT
}
output "key" {
  value = aws_kms_key.k.arn
}
`,
		"shared/q.tf.json": `{"resource": {"aws_sqs_queue": {"q": {"name": "${var.name}-q", "kms_master_key_id": "${aws_kms_key.k.arn}"}}}}`,
		"shared/broken.tf": "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \n}\n",
		"shared/deep.tf":   "locals {\n  x = " + strings.Repeat("[", rawMaxDepth+1) + "\n}\n",
		"a/main.tf": `module "s" {
  source = "../shared"
  name   = "a"
}
module "installed" {
  source = "terraform-aws-modules/x/aws"
}
resource "aws_sns_topic" "t" {
  kms_master_key_id = module.s.key
}
`,
		"a/.terraform/modules/modules.json":         `{"Modules": [{"Key": "", "Source": "", "Dir": "."}, {"Key": "installed", "Source": "registry.terraform.io/terraform-aws-modules/x/aws", "Dir": ".terraform/modules/installed"}]}`,
		"a/.terraform/modules/installed/main.tf":    "resource \"aws_s3_bucket\" \"i\" {\n  bucket = \"installed\"\n}\n",
		"b/main.tf":                                 "module \"s\" {\n  source   = \"../shared\"\n  for_each = toset([\"b1\", \"b2\"])\n  name     = each.key\n}\n",
		"b/terraform.tfvars":                        "unused = 1\n",
		"b/.terraform/modules/modules.json":         `{"Modules": []}`,
		"shared/.terraform/modules/modules.json":    `{"Modules": []}`,
		"shared/.terraform/modules/unused/x.tf":     "resource \"aws_s3_bucket\" \"never\" {}\n",
		"shared/.terraform/modules/unused/y.tfvars": "x = 1\n",
	}
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

// loaded is a root module's graph, as JSON with every position, and its
// diagnostics; the scanned tree is dir's parent.
func loaded(t *testing.T, dir string, c *Cache) string {
	t.Helper()
	g := graph.New()
	diags := LoadDir(g, dir, Options{Cache: c, Root: filepath.Dir(dir), VarFiles: []string{filepath.Join(dir, "terraform.tfvars")}})
	var b bytes.Buffer
	if err := g.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	for _, d := range diags {
		fmt.Fprintf(&b, "\n%s:%d:%d %s %s: %s", d.File, d.Line, d.Column, d.Severity, d.Summary, d.Detail)
	}
	return b.String()
}

// TestCacheSharesOneParse: with one cache for the run, the roots' graphs
// and diagnostics are exactly those of reading every file afresh; the
// shared module is parsed once for the module discovery and both roots;
// what terraform init installed for one root is not kept.
func TestCacheSharesOneParse(t *testing.T) {
	dir := writeShared(t)
	a, b, shared := filepath.Join(dir, "a"), filepath.Join(dir, "b"), filepath.Join(dir, "shared")
	wantA, wantB := loaded(t, a, nil), loaded(t, b, nil)
	for _, want := range []string{"nesting too deep", "broken.tf:2", `"aws_sqs_queue"`, "installed", `module.s[\"b2\"]`} {
		if !strings.Contains(wantA+wantB, want) {
			t.Fatalf("the layout does not exercise %s:\n%s\n%s", want, wantA, wantB)
		}
	}

	c := NewCache(false)
	if info := c.DirInfo(a); len(info.Calls) != 1 || info.Calls[0] != shared {
		t.Fatalf("a calls %v", info.Calls)
	}
	c.DirInfo(b)
	def, _ := c.parseModule(shared)
	if got := loaded(t, a, c); got != wantA {
		t.Errorf("a, through the cache:\n%s\nwant\n%s", got, wantA)
	}
	if got := loaded(t, b, c); got != wantB {
		t.Errorf("b, through the cache:\n%s\nwant\n%s", got, wantB)
	}
	if again, _ := c.parseModule(shared); again != def {
		t.Error("the shared module was built again from unchanged files")
	}
	if len(c.dirs) != 3 {
		t.Errorf("%d directories kept, want a, b and shared", len(c.dirs))
	}
	for k := range c.files {
		if strings.Contains(k.path, ".terraform") {
			t.Errorf("%s, installed for one root module, is kept for the run", k.path)
		}
	}
	if len(c.files) != 6 || len(c.vars) != 1 {
		t.Errorf("%d files and %d variables files kept, want 6 and 1", len(c.files), len(c.vars))
	}

	// A file whose content changed is read again, never taken for the
	// old one.
	if err := os.WriteFile(filepath.Join(shared, "main.tf"), []byte("resource \"aws_sns_topic\" \"changed\" {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	changed, _ := c.parseModule(shared)
	if changed == def || changed.resByKey["aws_sns_topic.changed"] == nil || changed.resByKey["aws_kms_key.k"] != nil {
		t.Error("a module whose file changed is not read again")
	}
}

// TestCacheRawFile: the documents raw policies read are the same through
// the cache as parsed afresh, and a .tf.json document kept from the
// evaluation's parse is handed out once, then parsed again.
func TestCacheRawFile(t *testing.T) {
	dir := writeShared(t)
	shared := filepath.Join(dir, "shared")
	c := NewCache(true)
	c.DirInfo(shared)
	q := filepath.ToSlash(filepath.Join(shared, "q.tf.json"))
	qdata, err := os.ReadFile(q)
	if err != nil {
		t.Fatal(err)
	}
	kept := c.files[keyOf(q, qdata)]
	if kept == nil || kept.doc == nil {
		t.Fatal("the evaluation's parse of q.tf.json kept no document for RawFile")
	}
	for _, name := range []string{"main.tf", "q.tf.json", "broken.tf", "deep.tf", "q.tf.json"} {
		p := filepath.ToSlash(filepath.Join(shared, name))
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		wantV, want := RawFile(data, p)
		gotV, got := c.RawFile(data, p)
		if wantV == nil && !strings.HasPrefix(name, "deep") {
			t.Fatalf("%s: no document: %v", name, want)
		}
		if !reflect.DeepEqual(gotV, wantV) || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: through the cache\n%v %v\nafresh\n%v %v", name, gotV, got, wantV, want)
		}
		if name == "q.tf.json" && kept.doc != nil {
			t.Error("the document kept was not handed out")
		}
	}
}

// TestRefsOf: an expression's references are walked once and are those
// Variables gives; an expression that is not HCL native syntax (which
// may not key a map) is walked each time.
func TestRefsOf(t *testing.T) {
	l := &loader{exprRefs: map[hclsyntax.Expression][]hcl.Traversal{}}
	expr, d := hclsyntax.ParseExpression([]byte(`{ a = var.x, b = [for k, v in local.m : v.arn] }`), "f.tf", hcl.InitialPos)
	if d.HasErrors() {
		t.Fatal(d)
	}
	first := l.refsOf(expr)
	if !reflect.DeepEqual(first, expr.Variables()) || len(first) != 2 {
		t.Fatalf("references %v, want %v", first, expr.Variables())
	}
	if again := l.refsOf(expr); &again[0] != &first[0] {
		t.Error("the references were walked again")
	}
	static := hcl.StaticExpr(cty.True, hcl.Range{Filename: "f.tf"})
	if refs := l.refsOf(static); len(refs) != 0 || len(l.exprRefs) != 1 {
		t.Errorf("a static expression: %v, %d kept", refs, len(l.exprRefs))
	}
}

// TestCacheForget: a module forgotten is parsed again when asked for,
// and read the same; the modules it calls stay; a cache keeping documents
// for RawFile keeps everything.
func TestCacheForget(t *testing.T) {
	dir := writeShared(t)
	a, shared := filepath.Join(dir, "a"), filepath.Join(dir, "shared")
	want := loaded(t, a, nil)
	c := NewCache(false)
	if got := loaded(t, a, c); got != want {
		t.Fatalf("a, through the cache:\n%s\nwant\n%s", got, want)
	}
	def, _ := c.parseModule(shared)
	parsed := c.parsed
	c.Forget(a + string(filepath.Separator))
	if len(c.dirs) != 1 || c.dirs[shared] == nil {
		t.Errorf("kept %d directories, want shared alone", len(c.dirs))
	}
	for k := range c.files {
		if filepath.Dir(k.path) != filepath.ToSlash(shared) {
			t.Errorf("%s kept", k.path)
		}
	}
	if got := loaded(t, a, c); got != want {
		t.Errorf("a, read again:\n%s\nwant\n%s", got, want)
	}
	if c.parsed == parsed {
		t.Error("a was not parsed again")
	}
	if again, _ := c.parseModule(shared); again != def {
		t.Error("the module a calls was forgotten with it")
	}

	c = NewCache(true)
	c.DirInfo(a)
	c.Forget(a)
	if c.dirs[filepath.Clean(a)] == nil {
		t.Error("a cache keeping documents forgot a")
	}
}

// TestCacheInstalledFromKept: a module terraform init installed whose
// file has the content of one the run keeps (a registry module installed
// in its own repository's examples) is copied from that parse, not
// parsed again, and reads as if parsed; once the kept file is forgotten,
// it is parsed.
func TestCacheInstalledFromKept(t *testing.T) {
	mod := `variable "name" {
  type = string
}
resource "aws_iam_role" "r" {
  name               = var.name
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }] })
}
`
	broken := "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \n}\n"
	dir := t.TempDir()
	for name, src := range map[string]string{
		"mod/main.tf":                          mod,
		"mod/broken.tf":                        broken,
		"root/main.tf":                         "module \"m\" {\n  source = \"org/m/aws\"\n  name   = \"x\"\n}\n",
		"root/terraform.tfvars":                "",
		"root/.terraform/modules/modules.json": `{"Modules": [{"Key": "", "Source": "", "Dir": "."}, {"Key": "m", "Source": "registry.terraform.io/org/m/aws", "Dir": ".terraform/modules/m"}]}`,
		"root/.terraform/modules/m/main.tf":    mod,
		"root/.terraform/modules/m/broken.tf":  broken,
		"root/.terraform/modules/m/outputs.tf": "output \"arn\" {\n  value = aws_iam_role.r.arn\n}\n",
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	root := filepath.Join(dir, "root")
	want := loaded(t, root, nil)
	if !strings.Contains(want, `.terraform/modules/m/broken.tf:2`) || !strings.Contains(want, `module.m.aws_iam_role.r`) {
		t.Fatalf("the layout does not exercise an installed module with an error:\n%s", want)
	}
	c := NewCache(false)
	c.DirInfo(filepath.Join(dir, "mod"))
	parsed := c.parsed
	if got := loaded(t, root, c); got != want {
		t.Errorf("through the cache:\n%s\nwant\n%s", got, want)
	}
	// root/main.tf and the installed outputs.tf; not main.tf nor broken.tf.
	if n := c.parsed - parsed; n != 2 {
		t.Errorf("%d files parsed, want 2", n)
	}
	c.Forget(filepath.Join(dir, "mod"))
	parsed = c.parsed
	if got := loaded(t, root, c); got != want {
		t.Errorf("through the cache, mod forgotten:\n%s\nwant\n%s", got, want)
	}
	// The three installed files; root/main.tf is kept.
	if n := c.parsed - parsed; n != 3 {
		t.Errorf("mod forgotten: %d files parsed, want 3", n)
	}
}
