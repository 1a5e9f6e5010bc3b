package tfhcl

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/frontend/tfhcl/modfetch"
	"github.com/eksguard/eksguard/internal/frontend/tfhcl/tfmark"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/testutil"
	"github.com/zclconf/go-cty/cty"
)

// writeTree writes files (path → content) under a new temporary directory.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, c := range files {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func one(t *testing.T, g *graph.Graph, addr string) *graph.Resource {
	t.Helper()
	rs := g.ByAddress(addr)
	if len(rs) != 1 {
		var all []string
		for _, r := range g.Resources() {
			all = append(all, r.Address)
		}
		t.Fatalf("%s: %d resources; have %v", addr, len(rs), all)
	}
	return rs[0]
}

// TestTypeConstraints: variables are converted to their type constraint,
// with optional() defaults applied at every level, nullable = false
// replacing null by the default, and -var parsed as Terraform parses it.
func TestTypeConstraints(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"main.tf": `
variable "settings" {
  type = object({
    tokens = optional(string, "required")
    nested = optional(object({
      hops  = optional(number, 1)
      names = optional(list(string), ["a"])
    }), {})
  })
  default = {}
}

variable "flags" {
  type     = map(bool)
  default  = { x = true }
  nullable = false
}

variable "ports" {
  type = list(number)
}

variable "count_str" {
  type    = number
  default = "3"
}

variable "secret" {
  type      = string
  default   = "hunter2"
  sensitive = true
}

module "child" {
  source = "./child"
  given  = { tokens = "optional" }
  empty  = null
}

resource "aws_instance" "root" {
  tags = {
    tokens = var.settings.tokens
    hops   = var.settings.nested.hops
    names  = join(",", var.settings.nested.names)
    flag   = var.flags["x"]
    ports  = join(",", var.ports)
    n      = var.count_str + 1
    secret = var.secret
  }
}
`,
		"child/main.tf": `
variable "given" {
  type = object({
    tokens = optional(string, "required")
    hops   = optional(number, 2)
  })
}

variable "empty" {
  type     = object({ a = optional(string, "d") })
  default  = {}
  nullable = false
}

resource "aws_instance" "child" {
  tags = {
    tokens = var.given.tokens
    hops   = var.given.hops
    a      = var.empty.a
  }
}
`,
	})
	g, diags := loadDir(t, dir, Options{Vars: map[string]string{"ports": "[80, 443]"}})
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	tags := one(t, g, "aws_instance.root").Get("tags")
	for k, want := range map[string]string{"tokens": "required", "names": "a", "ports": "80,443", "secret": "hunter2"} {
		if v := tags.Get(k); v.Kind != graph.String || v.Str != want {
			t.Errorf("root %s = %+v, want %q", k, v, want)
		}
	}
	if v := tags.Get("hops"); v.Kind != graph.Number || v.Num() != 1 {
		t.Errorf("nested optional default: %+v", v)
	}
	if v := tags.Get("n"); v.Kind != graph.Number || v.Num() != 4 {
		t.Errorf("a string default converted to number: %+v", v)
	}
	if v := tags.Get("flag"); v.Kind != graph.Bool || !v.Bool {
		t.Errorf("map(bool): %+v", v)
	}
	ctags := one(t, g, "module.child.aws_instance.child").Get("tags")
	if ctags.Get("tokens").Str != "optional" || ctags.Get("hops").Num() != 2 || ctags.Get("a").Str != "d" {
		t.Errorf("module argument with defaults applied, null on a non-nullable variable: %v", ctags)
	}
}

// TestReverseOrderReferences: values flow along references whatever the
// order of declaration; the old six-pass evaluator left the first of ten
// such resources unknown.
func TestReverseOrderReferences(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 10; i++ {
		if i == 9 {
			fmt.Fprintf(&b, "resource \"aws_s3_bucket\" \"b%d\" {\n  bucket = \"base\"\n}\n", i)
			continue
		}
		fmt.Fprintf(&b, "resource \"aws_s3_bucket\" \"b%d\" {\n  bucket = \"${aws_s3_bucket.b%d.bucket}-%d\"\n}\n", i, i+1, i)
	}
	g, diags := loadDir(t, writeTree(t, map[string]string{"main.tf": b.String()}), Options{})
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	if v := one(t, g, "aws_s3_bucket.b0").Get("bucket"); v.Str != "base-8-7-6-5-4-3-2-1-0" {
		t.Errorf("b0.bucket = %+v", v)
	}
	if v := one(t, g, "aws_s3_bucket.b0").Get("arn"); v.Str != "arn:aws:s3:::base-8-7-6-5-4-3-2-1-0" {
		t.Errorf("a bucket's ARN is derived from its name: %+v", v)
	}
}

// TestDerivedValues: ARNs, names and ids that follow from configuration,
// and what --account-id, --partition and --region say.
func TestDerivedValues(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.tf": `
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
variable "region" {
  type    = string
  default = null
}
data "aws_region" "current" {
  region = var.region
}
data "aws_service_principal" "ec2" {
  service_name = "ec2"
}

resource "aws_iam_role" "named" {
  name = "app"
  path = "/svc/"
}

resource "aws_iam_role" "prefixed" {
  name_prefix = "ci-"
}

resource "aws_iam_policy" "p" {
  name = "read"
}

resource "aws_sqs_queue" "q" {
  tags = {
    role      = aws_iam_role.named.arn
    role_name = replace(aws_iam_role.named.arn, "/^(.*role/)/", "")
    policy_id = aws_iam_policy.p.id
    prefixed  = aws_iam_role.prefixed.arn
    root      = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"
    region    = data.aws_region.current.name
    unique    = aws_iam_role.named.unique_id
    sp        = data.aws_service_principal.ec2.name
  }
}
`})
	g, _ := loadDir(t, dir, Options{})
	tags := one(t, g, "aws_sqs_queue.q").Get("tags")
	if v := tags.Get("role"); !v.IsUnknown() || v.Partial() != "arn:aws:iam::${Account}:role/svc/app" || v.Reason() != accountReason {
		t.Errorf("without --account-id the ARN is known but for its account: %+v", v)
	}
	if v := tags.Get("role_name"); v.Str != "svc/app" {
		t.Errorf("string functions still read the rest of the ARN: %+v", v)
	}
	if v := tags.Get("prefixed"); !v.IsUnknown() || v.Partial() != "arn:aws:iam::${Account}:role/ci-${Unknown}" || v.Reason() != generatedReason {
		t.Errorf("name_prefix: %+v", v)
	}
	if v := tags.Get("region"); !v.IsUnknown() || v.Reason() != regionReason {
		t.Errorf("region without --region (the argument null): %+v", v)
	}
	if v := tags.Get("sp"); v.Str != "ec2.amazonaws.com" {
		t.Errorf("service principal: %+v", v)
	}
	if v := tags.Get("unique"); !v.IsUnknown() || v.Reason() != "aws_iam_role.named.unique_id is known only after apply" {
		t.Errorf("unique_id stays unknown: %+v", v)
	}

	g, _ = loadDir(t, dir, Options{AccountID: "111122223333", Partition: "aws-cn", Region: "cn-north-1"})
	tags = one(t, g, "aws_sqs_queue.q").Get("tags")
	for k, want := range map[string]string{
		"role":      "arn:aws-cn:iam::111122223333:role/svc/app",
		"policy_id": "arn:aws-cn:iam::111122223333:policy/read",
		"root":      "arn:aws-cn:iam::111122223333:root",
		"region":    "cn-north-1",
		"sp":        "ec2.amazonaws.com.cn",
	} {
		if v := tags.Get(k); v.Kind != graph.String || v.Str != want {
			t.Errorf("%s = %+v, want %q", k, v, want)
		}
	}
	if v := one(t, g, "aws_iam_role.named").Get("arn"); v.Str != "arn:aws-cn:iam::111122223333:role/svc/app" {
		t.Errorf("the role's own arn attribute: %+v", v)
	}
}

// TestUnknownPrefix: a string Terraform knows only at apply keeps what it
// begins with, when that is known: a template's leading text, the
// partition of an ARN Terraform reads from AWS.
func TestUnknownPrefix(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.tf": `
variable "account" {
  type = string
}
data "aws_caller_identity" "current" {}
data "aws_iam_session_context" "current" {
  arn = data.aws_caller_identity.current.arn
}
locals {
  caller = data.aws_caller_identity.current.arn
}
resource "aws_sqs_queue" "q" {
  tags = {
    root    = "arn:aws:iam::${var.account}:root"
    caller  = local.caller
    issuer  = data.aws_iam_session_context.current.issuer_arn
    opaque  = "${var.account}:root"
    account = var.account
  }
}
`})
	g, _ := loadDir(t, dir, Options{})
	tags := one(t, g, "aws_sqs_queue.q").Get("tags")
	for k, want := range map[string]string{"root": "arn:aws:iam::", "caller": "arn:aws:", "issuer": "arn:aws:", "opaque": "", "account": ""} {
		if v := tags.Get(k); !v.IsUnknown() || v.Prefix() != want {
			t.Errorf("%s: %+v with prefix %q, want unknown with prefix %q", k, v, v.Prefix(), want)
		}
	}
	if v := tags.Get("caller"); v.Reason() != "data.aws_caller_identity.current.arn is read from AWS by Terraform" {
		t.Errorf("caller: reason %q", v.Reason())
	}
}

// TestDataSourceReasonNamesProvider: an attribute of another provider's
// data source is not said to come from AWS.
func TestDataSourceReasonNamesProvider(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.tf": `
data "http" "keys" {
  url = "https://example.com/keys"
}
data "tls_certificate" "oidc" {
  url = "https://oidc.example.com"
}
resource "aws_sqs_queue" "q" {
  name = "q"
  tags = {
    body  = data.http.keys.response_body
    thumb = data.tls_certificate.oidc.certificates[0].sha1_fingerprint
  }
}
`})
	g, _ := loadDir(t, dir, Options{})
	tags := one(t, g, "aws_sqs_queue.q").Get("tags")
	for k, want := range map[string]string{
		"body":  "data.http.keys.response_body is read by Terraform through the http provider",
		"thumb": "data.tls_certificate.oidc.certificates is read by Terraform through the tls provider",
	} {
		if v := tags.Get(k); !v.IsUnknown() || v.Reason() != want {
			t.Errorf("%s: %+v, reason %q, want %q", k, v, v.Reason(), want)
		}
	}
}

// TestEvaluationErrorsAreWarnings: an expression Terraform would refuse
// makes its value unknown with the error as the reason, and is reported
// once with its position.
func TestEvaluationErrorsAreWarnings(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.tf": `
resource "aws_s3_bucket" "b" {
  count  = 2
  bucket = upper(["not", "a", "string"])
}
`})
	g, diags := loadDir(t, dir, Options{})
	if len(diags) != 1 || diags[0].Severity != diag.Warning || diags[0].Line != 4 || !strings.Contains(diags[0].Summary, "Invalid function argument") {
		t.Fatalf("want one warning at line 4, got %v", diags)
	}
	if v := one(t, g, "aws_s3_bucket.b[1]").Get("bucket"); !v.IsUnknown() || !strings.Contains(v.Reason(), "main.tf:4") {
		t.Errorf("the value says why it is unknown: %+v", v)
	}
}

// TestInvalidReferences: a bare name Terraform cannot resolve (True or
// FALSE written for true or false, a bare var) is the error Terraform
// gives, at the name, and the value is unknown with that reason; names
// that are in scope (for expressions, a dynamic block's iterator, object
// keys) and valid references are not reported.
func TestInvalidReferences(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.tf": `
variable "zones" {
  default = ["a", "b"]
}

resource "aws_s3_bucket_public_access_block" "b" {
  count                   = 2
  bucket                  = "acme"
  block_public_acls       = True
  block_public_policy     = count.index == 0 ? FALSE : true
  ignore_public_acls      = var
  restrict_public_buckets = true
}

resource "aws_security_group" "sg" {
  name = "sg"
  tags = { Name = "sg", zones = join(",", [for z in var.zones : upper(z)]) }
  dynamic "ingress" {
    for_each = var.zones
    iterator = zone
    content {
      description = zone.value
      from_port   = 443
      to_port     = 443
      protocol    = "tcp"
      cidr_blocks = ["10.0.0.0/8"]
    }
  }
}
`})
	g, diags := loadDir(t, dir, Options{})
	type want struct {
		line, col int
		detail    string
	}
	wants := []want{
		{9, 29, "A reference to a resource type must be followed by at least one attribute access, specifying the resource name. True is not the literal true"},
		{10, 48, "A reference to a resource type must be followed by at least one attribute access, specifying the resource name. FALSE is not the literal false"},
		{11, 29, `The "var" object cannot be accessed directly. Instead, access one of its attributes.`},
	}
	if len(diags) != len(wants) {
		t.Fatalf("want %d diagnostics, got %v", len(wants), diags)
	}
	sort.Slice(diags, func(i, j int) bool { return diags[i].Line < diags[j].Line })
	for i, w := range wants {
		d := diags[i]
		if d.Severity != diag.Error || d.Summary != "Invalid reference" || d.Line != w.line || d.Column != w.col || !strings.HasPrefix(d.Detail, w.detail) {
			t.Errorf("diagnostic %d: got %v, want an error at %d:%d: Invalid reference: %s", i, d, w.line, w.col, w.detail)
		}
	}
	for _, addr := range []string{"aws_s3_bucket_public_access_block.b[0]", "aws_s3_bucket_public_access_block.b[1]"} {
		r := one(t, g, addr)
		for attr, name := range map[string]string{"block_public_acls": "True", "block_public_policy": "FALSE", "ignore_public_acls": "var"} {
			v := r.Get(attr)
			if !v.IsUnknown() || !strings.Contains(v.Reason(), name+" at ") || !strings.Contains(v.Reason(), "is an invalid reference") {
				t.Errorf("%s %s: want unknown because %s is an invalid reference, got %+v (%s)", addr, attr, name, v, v.Reason())
			}
		}
		if v := r.Get("restrict_public_buckets"); v == nil || v.Kind != graph.Bool || !v.Bool {
			t.Errorf("%s restrict_public_buckets: %+v", addr, v)
		}
	}
	sg := one(t, g, "aws_security_group.sg")
	if v := sg.Get("tags.zones"); v == nil || v.Str != "A,B" {
		t.Errorf("tags.zones: %+v", v)
	}
	if v := sg.Get("ingress.1.description"); v == nil || v.Str != "b" {
		t.Errorf("ingress.1.description: %+v", v)
	}
}

// TestFileConfinedBySymlink: file() follows no symlink out of the scanned
// tree, and nothing of the outside file reaches the graph.
func TestFileConfinedBySymlink(t *testing.T) {
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("runner-secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := writeTree(t, map[string]string{
		"inside.txt": "fine",
		"main.tf": `
resource "aws_ssm_parameter" "p" {
  value       = file("${path.module}/link.txt")
  description = file("${path.module}/inside.txt")
  tier        = file("${path.module}/dirlink/secret.txt")
}
`})
	if err := os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(dir, "link.txt")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "dirlink")); err != nil {
		t.Fatal(err)
	}
	g, diags := loadDir(t, dir, Options{})
	p := one(t, g, "aws_ssm_parameter.p")
	if v := p.Get("description"); v.Str != "fine" {
		t.Errorf("a file inside the tree is read: %+v", v)
	}
	for _, a := range []string{"value", "tier"} {
		if v := p.Get(a); !v.IsUnknown() {
			t.Errorf("%s: a symlink out of the tree is read: %+v", a, v)
		}
	}
	if len(diags) != 2 {
		t.Errorf("want a warning for each refused read, got %v", diags)
	}
	for _, d := range diags {
		if strings.Contains(d.String(), "runner-secret") {
			t.Errorf("the outside file's content leaked: %v", d)
		}
	}
}

// tarGzModule packs files into a .tar.gz, as a module archive is served.
func tarGzModule(t *testing.T, files map[string]string) []byte {
	return testutil.TarGz(t, files)
}

// TestDownloadModules: with a fetcher (--download-modules) a module that
// terraform init has not installed is fetched, read with its inputs, and
// taken from the cache the second time; without one it is reported unread.
func TestDownloadModules(t *testing.T) {
	archive := tarGzModule(t, map[string]string{
		"main.tf": `
variable "name" {
  type = string
}
variable "settings" {
  type    = object({ public = optional(bool, false) })
  default = {}
}
resource "aws_eks_cluster" "this" {
  name = var.name
  vpc_config {
    endpoint_public_access = var.settings.public
  }
}
output "arn" {
  value = aws_eks_cluster.this.arn
}
`})
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = w.Write(archive)
	}))
	defer srv.Close()
	dir := writeTree(t, map[string]string{"main.tf": fmt.Sprintf(`
module "cluster" {
  source = "%s/cluster.tar.gz"
  name   = "remote"
}
`, srv.URL)})
	cache := t.TempDir()
	for i := 0; i < 2; i++ {
		g, diags := loadDir(t, dir, Options{Fetcher: &modfetch.Fetcher{CacheDir: cache}})
		if len(diags) != 0 {
			t.Fatal(diags)
		}
		c := one(t, g, "module.cluster.aws_eks_cluster.this")
		if v := c.Get("vpc_config.endpoint_public_access"); v.Kind != graph.Bool || v.Bool {
			t.Errorf("the fetched module's optional() default: %+v", v)
		}
	}
	if hits.Load() != 1 {
		t.Errorf("%d downloads, want 1 (the second run reads the cache)", hits.Load())
	}
	g, diags := loadDir(t, dir, Options{})
	if g.Len() != 0 || len(diags) != 1 || diags[0].Unread == nil || diags[0].Line != 2 {
		t.Errorf("offline: want the call reported unread at line 2, got %v (%d resources)", diags, g.Len())
	}
}

// TestReferenceEdges: a reference through a dynamic block's iterator links
// to what the collection refers to, and a computed index links to the
// instance it names, not to every instance nor to what computes the index.
func TestReferenceEdges(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.tf": `
resource "aws_kms_key" "k" {}
resource "aws_kms_key" "other" {}

locals {
  enc   = { key = aws_kms_key.k.arn }
  names = { a = "x", b = "y" }
  pick  = "b"
}

resource "aws_eks_cluster" "c" {
  dynamic "encryption_config" {
    for_each = [local.enc]
    content {
      provider {
        key_arn = encryption_config.value.key
      }
    }
  }
}

resource "aws_s3_bucket" "b" {
  for_each = local.names
  bucket   = each.value
}

resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.b[local.pick].id
}
`})
	g, diags := loadDir(t, dir, Options{})
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	c := one(t, g, "aws_eks_cluster.c")
	if ks := g.Targets(c, "encryption_config.provider.key_arn", "aws_kms_key"); len(ks) != 1 || ks[0].Address != "aws_kms_key.k" {
		t.Errorf("through the dynamic iterator: %v", ks)
	}
	p := one(t, g, "aws_s3_bucket_policy.p")
	if bs := g.Targets(p, "bucket", "aws_s3_bucket"); len(bs) != 1 || bs[0].Address != `aws_s3_bucket.b["b"]` {
		t.Errorf("computed index: %v", bs)
	}
}

// TestBudgets: hostile configurations end within their budgets, each limit
// reached is one positioned warning naming its flag and an incomplete
// entry, and what was read before stays in the graph.
func TestBudgets(t *testing.T) {
	t.Run("nested for over range", func(t *testing.T) {
		dir := writeTree(t, map[string]string{"main.tf": `
locals {
  cube = [for i in range(1000) : [for j in range(1000) : [for k in range(1000) : i + j + k]]]
}
resource "aws_s3_bucket" "b" {
  bucket = "b"
  tags   = { n = length(local.cube) }
}
`})
		g, diags := loadDir(t, dir, Options{Limits: Limits{Steps: 50000}})
		if len(diags) != 1 || diags[0].Unread == nil || !strings.Contains(diags[0].Summary, "--max-eval-steps") || diags[0].Line != 3 {
			t.Fatalf("want one warning at line 3 naming --max-eval-steps, got %v", diags)
		}
		b := one(t, g, "aws_s3_bucket.b")
		if b.Get("bucket").Str != "b" || !b.Get("tags.n").IsUnknown() || !strings.Contains(b.Get("tags.n").Reason(), "steps") {
			t.Errorf("the cube is unknown with the budget as its reason, the rest is read: %v", b.Attrs)
		}
	})
	t.Run("module fan-out", func(t *testing.T) {
		files := map[string]string{"main.tf": "module \"l0\" {\n  source = \"./l1\"\n}\n"}
		for i := 1; i <= 16; i++ {
			next := fmt.Sprintf("module \"a\" {\n  source = \"../l%d\"\n}\nmodule \"b\" {\n  source = \"../l%d\"\n}\n", i+1, i+1)
			if i == 16 {
				next = ""
			}
			files[fmt.Sprintf("l%d/main.tf", i)] = next + "resource \"aws_sqs_queue\" \"q\" {}\n"
		}
		g, diags := loadDir(t, writeTree(t, files), Options{Limits: Limits{ModuleInstances: 500}})
		if g.Len() > 500 {
			t.Errorf("%d resources from at most 500 module instances", g.Len())
		}
		if len(diags) != 1 || diags[0].Unread == nil || !strings.Contains(diags[0].Summary, "--max-module-instances") {
			t.Errorf("want one warning naming --max-module-instances, got %v", diags)
		}
	})
	t.Run("count", func(t *testing.T) {
		dir := writeTree(t, map[string]string{"main.tf": `
resource "aws_sqs_queue" "q" {
  count = 1000000
}
resource "aws_sns_topic" "t" {
  for_each = toset([for i in range(300) : tostring(i)])
}
`})
		g, diags := loadDir(t, dir, Options{Limits: Limits{Instances: 100, Resources: 150}})
		if n := len(g.OfType("aws_sqs_queue")); n != 100 {
			t.Errorf("%d queues, want the first 100", n)
		}
		if n := len(g.OfType("aws_sns_topic")); n != 50 {
			t.Errorf("%d topics, want 50 (150 resources in all)", n)
		}
		var got []string
		for _, d := range diags {
			got = append(got, fmt.Sprintf("%d %s", d.Line, d.Summary))
			if d.Unread == nil {
				t.Errorf("not an incomplete entry: %v", d)
			}
		}
		want := []string{
			"3 the count of aws_sqs_queue.q is 1000000; eksguard reads the first 100 (--max-instances)",
			"6 the for_each of aws_sns_topic.t has 300 elements; eksguard reads the first 100 (--max-instances)",
			"5 this root module has more than 150 resource instances (--max-resources)",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("diagnostics\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
		}
	})
	t.Run("deep interpolation", func(t *testing.T) {
		nested := strings.Repeat(`"${`, 200) + "1" + strings.Repeat(`}"`, 200)
		g, diags := loadDir(t, writeTree(t, map[string]string{"main.tf": "resource \"aws_s3_bucket\" \"b\" {\n  bucket = " + nested + "\n}\n"}), Options{})
		if len(diags) != 0 || one(t, g, "aws_s3_bucket.b").Get("bucket").Num() != 1 {
			t.Errorf("200 nested interpolations are 200 levels, under the bound: %v", diags)
		}
	})
}

// TestBinaryFile: a .tf file that is not text is one error, not one per
// token; a UTF-8 byte order mark is read past.
func TestBinaryFile(t *testing.T) {
	bin := make([]byte, 64<<10)
	for i := range bin {
		bin[i] = byte(i * 7)
	}
	dir := writeTree(t, map[string]string{"main.tf": string(bin), "ok.tf": "\uFEFFresource \"aws_sqs_queue\" \"q\" {}\n"})
	g, diags := loadDir(t, dir, Options{})
	if len(diags) != 1 || diags[0].Summary != "not a text file" || !strings.HasSuffix(diags[0].File, "main.tf") {
		t.Errorf("want one diagnostic for the binary file, got %d: %v", len(diags), diags)
	}
	if g.Len() != 1 {
		t.Errorf("the other file is read: %d resources", g.Len())
	}
}

// TestModuleOutsideRoot: a module whose directory lies outside the scanned
// path is not read unless FollowOutside; it is reported unread.
func TestModuleOutsideRoot(t *testing.T) {
	top := writeTree(t, map[string]string{
		"outside/main.tf": "resource \"aws_sqs_queue\" \"q\" {}\n",
		"root/main.tf":    "module \"out\" {\n  source = \"../outside\"\n}\n",
	})
	root := filepath.Join(top, "root")
	g, diags := loadDir(t, root, Options{Root: root})
	if g.Len() != 0 || len(diags) != 1 || diags[0].Unread == nil || !strings.Contains(diags[0].Summary, "--follow-outside") {
		t.Errorf("want the call unread, naming --follow-outside; got %v (%d resources)", diags, g.Len())
	}
	g, diags = loadDir(t, root, Options{Root: root, FollowOutside: true})
	if g.Len() != 1 || len(diags) != 0 {
		t.Errorf("with FollowOutside: %v (%d resources)", diags, g.Len())
	}
	g, _ = loadDir(t, root, Options{Root: top})
	if g.Len() != 1 {
		t.Errorf("inside the scanned path: %d resources", g.Len())
	}
}

// TestTemplatePolicyDoc: a JSON template whose interpolations are known
// only after apply keeps its structure, the strings holding them unknown
// with their reason and known text; it is not read when a part is
// sensitive or an unknown part lies outside a string.
func TestTemplatePolicyDoc(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.tf": `
variable "sid" {
  type      = string
  default   = "Secret"
  sensitive = true
}
variable "actions" {}
resource "aws_secretsmanager_secret" "s" {
  name = "s"
}
resource "aws_iam_policy" "heredoc" {
  policy = <<EOT
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"},
    {"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"], "Resource": "${aws_secretsmanager_secret.s.arn}/*"}
  ]
}
EOT
}
resource "aws_iam_policy" "sensitive" {
  policy = "{\"Statement\": [{\"Sid\": \"${var.sid}\", \"Resource\": \"${aws_secretsmanager_secret.s.arn}\"}]}"
}
resource "aws_iam_policy" "outside" {
  policy = "{\"Statement\": [{\"Action\": ${jsonencode(var.actions)}, \"Resource\": \"${aws_secretsmanager_secret.s.arn}\"}]}"
}
`})
	g, _ := loadDir(t, dir, Options{})
	v := one(t, g, "aws_iam_policy.heredoc").Get("policy")
	if !v.IsUnknown() || v.Doc() == nil {
		t.Fatalf("heredoc: %+v, want an unknown with its document", v)
	}
	st := v.Doc().Get("Statement").List
	if len(st) != 2 || st[0].Get("Action").Str != "kms:Decrypt" || st[1].Get("Action").List[0].Str != "secretsmanager:GetSecretValue" {
		t.Fatalf("heredoc statements: %+v", st)
	}
	res := st[1].Get("Resource")
	if !res.IsUnknown() || res.Partial() != graph.GeneratedPlaceholder+"/*" || res.Reason() != "aws_secretsmanager_secret.s.arn is known only after apply" {
		t.Errorf("heredoc resource: %+v, partial %q, reason %q", res, res.Partial(), res.Reason())
	}
	for _, name := range []string{"sensitive", "outside"} {
		if v := one(t, g, "aws_iam_policy."+name).Get("policy"); !v.IsUnknown() || v.Doc() != nil {
			t.Errorf("%s: %+v with document %+v, want an unknown without one", name, v, v.Doc())
		}
	}
}

// TestUnknownInstancesCarryReason: when a block's count or for_each is not
// known, the one instance eksguard still checks reads count.index, each.key
// and each.value as unknown for that reason, so every attribute built from
// them says why (terraform-aws-efs's security group rules behind a
// mount_targets map keyed by data-source zones).
func TestUnknownInstancesCarryReason(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.tf": `
data "aws_availability_zones" "available" {}
variable "rules" {
  type    = any
  default = { vpc = { cidr_blocks = ["10.0.0.0/8"] } }
}
resource "aws_security_group_rule" "each" {
  for_each    = { for k, v in var.rules : k => v if length(data.aws_availability_zones.available.names) > 0 }
  type        = "ingress"
  from_port   = try(each.value.from_port, 2049)
  to_port     = 2049
  protocol    = "tcp"
  cidr_blocks = lookup(each.value, "cidr_blocks", null)
  description = each.key
}
resource "aws_security_group_rule" "counted" {
  count       = length(data.aws_availability_zones.available.names)
  type        = "ingress"
  from_port   = count.index
  to_port     = 2049
  protocol    = "tcp"
  cidr_blocks = ["10.0.0.0/8"]
}
`})
	g, _ := loadDir(t, dir, Options{})
	const dataWhy = "data.aws_availability_zones.available.names is read from AWS by Terraform"
	each := one(t, g, "aws_security_group_rule.each")
	for _, attr := range []string{"from_port", "cidr_blocks", "description"} {
		want := "the for_each of aws_security_group_rule.each is not known: " + dataWhy
		if v := each.Get(attr); !v.IsUnknown() || v.UnknownReason() != want {
			t.Errorf("each %s: %+v, reason %q, want %q", attr, v, v.UnknownReason(), want)
		}
	}
	counted := one(t, g, "aws_security_group_rule.counted")
	want := "the count of aws_security_group_rule.counted is not known: " + dataWhy
	if v := counted.Get("from_port"); !v.IsUnknown() || v.UnknownReason() != want {
		t.Errorf("counted from_port: %+v, reason %q, want %q", v, v.UnknownReason(), want)
	}
	if v := counted.Get("to_port"); v.IsUnknown() {
		t.Errorf("counted to_port: %+v, want the literal", v)
	}
}

// TestResourcePrefixReference: resource.TYPE.NAME is Terraform's other
// spelling of TYPE.NAME (kept for a future reserved word that collides
// with a resource type); it reads the same resource and makes the same
// reference edge (terraform-aws-eks-blueprints' privatelink-access
// pattern writes its endpoint this way).
func TestResourcePrefixReference(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.tf": `
resource "aws_security_group" "sg" {
  name = "endpoint"
}
resource "aws_vpc_endpoint" "e" {
  vpc_id             = "vpc-1"
  service_name       = "com.amazonaws.vpce.eu-west-1.vpce-svc-1"
  security_group_ids = [resource.aws_security_group.sg.name]
}
`})
	g, diags := loadDir(t, dir, Options{})
	for _, d := range diags {
		t.Errorf("unexpected diagnostic %s:%d %s: %s", d.File, d.Line, d.Summary, d.Detail)
	}
	e := one(t, g, "aws_vpc_endpoint.e")
	if got := e.Get("security_group_ids").Items(); len(got) != 1 || got[0].Str != "endpoint" {
		t.Errorf("security_group_ids = %+v, want [endpoint]", e.Get("security_group_ids"))
	}
	if sgs := g.Targets(e, "security_group_ids", "aws_security_group"); len(sgs) != 1 || sgs[0].Address != "aws_security_group.sg" {
		t.Errorf("reference edges from security_group_ids: %v", sgs)
	}
}

// TestTemplatePolicyDocThroughModule: a JSON template given to a module
// (terraform-aws-lambda's policy_json, from the privatelink-access
// pattern) or held in a local keeps its structure where the module's
// resource reads it, as when written in the attribute itself.
func TestTemplatePolicyDocThroughModule(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"main.tf": `
resource "aws_lb_target_group" "tg" {
  name = "tg"
}
locals {
  doc = <<-EOT
    {"Statement": [{"Effect": "Allow", "Action": ["elasticloadbalancing:DeregisterTargets"], "Resource": ["${aws_lb_target_group.tg.arn}"]}]}
  EOT
}
module "fn" {
  source      = "./fn"
  policy_json = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Effect": "Allow", "Action": ["elasticloadbalancing:RegisterTargets"], "Resource": ["${aws_lb_target_group.tg.arn}"]}
      ]
    }
  EOT
}
resource "aws_iam_policy" "local" {
  policy = local.doc
}
module "hidden" {
  source      = "./hidden"
  policy_json = local.doc
}
`,
		"hidden/main.tf": `
variable "policy_json" {
  sensitive = true
}
resource "aws_iam_policy" "p" {
  policy = var.policy_json
}
`,
		"fn/main.tf": `
variable "policy_json" {
  type    = string
  default = null
}
resource "aws_iam_policy" "additional_json" {
  count  = var.policy_json != null ? 1 : 0
  policy = var.policy_json
}
`})
	g, _ := loadDir(t, dir, Options{})
	for addr, action := range map[string]string{
		"module.fn.aws_iam_policy.additional_json[0]": "elasticloadbalancing:RegisterTargets",
		"aws_iam_policy.local":                        "elasticloadbalancing:DeregisterTargets",
	} {
		v := one(t, g, addr).Get("policy")
		if !v.IsUnknown() || v.Doc() == nil {
			t.Errorf("%s: %+v, want an unknown with its document", addr, v)
			continue
		}
		st := v.Doc().Get("Statement").List
		if len(st) != 1 || st[0].Get("Action").List[0].Str != action {
			t.Errorf("%s statements: %+v", addr, st)
			continue
		}
		if res := st[0].Get("Resource").List[0]; !res.IsUnknown() || res.Reason() != "aws_lb_target_group.tg.arn is known only after apply" {
			t.Errorf("%s resource: %+v, reason %q", addr, res, res.Reason())
		}
	}
	if v := one(t, g, "module.hidden.aws_iam_policy.p").Get("policy"); !v.IsUnknown() || v.Doc() != nil {
		t.Errorf("through a sensitive variable: %+v with document %+v, want an unknown without one", v, v.Doc())
	}
}

// TestUncertainInstanceErrorsAreUnknown: the one instance eksguard checks
// for a count it cannot know may not exist at all, so an expression that
// fails only for the values it would read there (an attribute the default
// of var.velero lacks, which the caller sets when it enables the add-on)
// is unknown because the count is, not an error (terraform-aws-eks-
// blueprints' addons module, velero's policy under an unknown
// enable_velero). An expression Terraform rejects whatever the values
// (a literal of the wrong type, an undeclared function) stays an error.
func TestUncertainInstanceErrorsAreUnknown(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.tf": `
variable "enable" {
  type = bool
}
variable "velero" {
  type    = any
  default = {}
}
data "aws_iam_policy_document" "velero" {
  count = var.enable ? 1 : 0
  statement {
    actions   = ["s3:GetObject"]
    resources = ["${var.velero.s3_backup_location}/*"]
  }
}
resource "aws_s3_bucket" "b" {
  count  = var.enable ? 1 : 0
  bucket = var.velero.s3_backup_location
  tags   = { a = upper(["not", "a", "string"]), b = nosuch(1) }
}
resource "aws_s3_bucket" "known" {
  count  = 1
  bucket = var.velero.s3_backup_location
}
`})
	g, diags := loadDir(t, dir, Options{})
	lines := map[int]string{}
	for _, d := range diags {
		if d.Severity >= diag.Warning {
			lines[d.Line] = d.Summary
		}
	}
	for _, line := range []int{13, 18} {
		if s, ok := lines[line]; ok {
			t.Errorf("line %d: %q reported, though the instance may not exist", line, s)
		}
	}
	for _, line := range []int{19, 23} {
		if _, ok := lines[line]; !ok {
			t.Errorf("line %d: no error reported; want the one Terraform gives (%v)", line, diags)
		}
	}
	const why = "the count of aws_s3_bucket.b is not known: var.enable is not set"
	if v := one(t, g, "aws_s3_bucket.b").Get("bucket"); !v.IsUnknown() || !strings.HasPrefix(v.UnknownReason(), why) {
		t.Errorf("bucket: %+v, reason %q, want it to start %q", v, v.UnknownReason(), why)
	}
	if v := one(t, g, "aws_s3_bucket.known[0]").Get("bucket"); !v.IsUnknown() || !strings.Contains(v.UnknownReason(), "Unsupported attribute") {
		t.Errorf("known bucket: %+v, reason %q, want the error", v, v.UnknownReason())
	}
}

// TestReasonsThroughMergeAndFor: an unknown says why however it was
// computed. cty's merge returns an unknown without its argument's reason
// when one argument is unknown whole (an output merging a module not
// read, terraform-aws-eks-blueprints-addons' karpenter output), and HCL's
// for over a list whose type is not known yet (slice() of a data source's
// list, terraform-aws-vpc's subnets) drops the list's reason.
func TestReasonsThroughMergeAndFor(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.tf": `
data "aws_availability_zones" "available" {}
module "karpenter" {
  source = "aws-ia/eks-blueprints-addon/aws"
}
locals {
  karpenter = merge(module.karpenter, { node_iam_role_arn = "arn:aws:iam::1:role/n" })
  azs       = slice(data.aws_availability_zones.available.names, 0, 3)
}
resource "kubernetes_config_map_v1_data" "aws_auth" {
  metadata {
    name      = "aws-auth"
    namespace = "kube-system"
  }
  data = {
    mapRoles = yamlencode(concat([{ rolearn = local.karpenter.node_iam_role_arn }], [for k, v in local.azs : { rolearn = "r${k}" }]))
    mapUsers = yamlencode([for k, v in local.azs : { userarn = "u${k}" }])
  }
}
`})
	g, _ := loadDir(t, dir, Options{})
	r := one(t, g, "kubernetes_config_map_v1_data.aws_auth")
	for attr, want := range map[string]string{
		"data.mapRoles": "module.karpenter is not read",
		"data.mapUsers": "data.aws_availability_zones.available.names is read from AWS by Terraform",
	} {
		if v := r.Get(attr); !v.IsUnknown() || !strings.HasPrefix(v.UnknownReason(), want) {
			t.Errorf("%s: %+v, reason %q, want it to start %q", attr, v, v.UnknownReason(), want)
		}
	}
}

// TestReadAndUnreadResourcesAlike: a resource's graph attributes do not
// depend on whether an expression read it, nor on when: what references
// read (the unset attributes the module steps into, as unknowns) is built
// only for resources read, and the attributes derived for the graph are
// read as references read them either way.
func TestReadAndUnreadResourcesAlike(t *testing.T) {
	role := func(n string) string {
		return fmt.Sprintf("resource \"aws_iam_role\" %q {\n  name = \"app-%s\"\n}\n", n, n)
	}
	for _, path := range []string{"", ", path = aws_iam_role.late.path"} {
		// Resources are built in file order: late before the queue reads
		// it, early after.
		dir := writeTree(t, map[string]string{
			"1.tf": role("late"),
			"2.tf": "resource \"aws_sqs_queue\" \"q\" {\n  tags = { a = aws_iam_role.early.arn, b = aws_iam_role.late.arn" + path + " }\n}\n",
			"3.tf": role("early") + role("unread"),
		})
		g, diags := loadDir(t, dir, Options{})
		if len(diags) != 0 {
			t.Fatal(diags)
		}
		shape := func(name string) string {
			var out []string
			for k, v := range one(t, g, "aws_iam_role."+name).Attrs.Map.All() {
				out = append(out, fmt.Sprintf("%s=%v:%q:%q", k, v.Kind, v.Str, v.Partial()))
			}
			return strings.ReplaceAll(strings.Join(out, " "), name, "NAME")
		}
		want := shape("unread")
		if !strings.Contains(want, "name=") {
			t.Fatalf("unread role: %s", want)
		}
		for _, n := range []string{"early", "late"} {
			if got := shape(n); got != want {
				t.Errorf("%q: role %s has %s, the unread one %s", path, n, got, want)
			}
		}
		if v := one(t, g, "aws_sqs_queue.q").Get("tags").Get("a"); !v.IsUnknown() || v.Partial() != "arn:aws:iam::${Account}:role/app-early" {
			t.Errorf("the ARN read: %+v", v)
		}
	}
}

// TestReadValueBuiltAgain: the value references read, built again after
// a collection dropped it, equals the first, marks and reasons included.
func TestReadValueBuiltAgain(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.tf": `
resource "aws_iam_role" "r" {
  count = 2
  name  = "r${count.index}"
}
data "aws_iam_policy_document" "d" {
  statement {
    actions   = ["s3:GetObject"]
    resources = [aws_iam_role.r[0].arn]
  }
}
output "o" {
  value = [aws_iam_role.r[1].unique_id, data.aws_iam_policy_document.d.json, data.aws_iam_policy_document.d.statement[0].sid]
}
`})
	l := newLoader(graph.New(), dir, Options{Root: dir, Partition: "aws"})
	defer l.openFunctions()()
	def := l.parse(dir)
	root := l.newInst(def, nil, nil, instanceKey{}, "", nil, "")
	root.root = l.rootValues(def)
	for _, key := range []string{"aws_iam_role.r", "data.aws_iam_policy_document.d"} {
		rd := def.resByKey[key]
		first := root.resource(rd)
		if !first.IsKnown() || first.LengthInt() == 0 {
			t.Fatalf("%s: %#v", key, first)
		}
		if key == "aws_iam_role.r" {
			if u := first.Index(cty.NumberIntVal(1)).GetAttr("unique_id"); u.IsKnown() || tfmark.First(u) != "aws_iam_role.r[1].unique_id is known only after apply" {
				t.Fatalf("unique_id, unset and read: %#v", u)
			}
		}
		runtime.GC()
		runtime.GC()
		if root.res[rd.key].read.Value() != nil {
			t.Fatalf("%s: the value read is still held after a collection", key)
		}
		if again := root.resource(rd); !again.RawEquals(first) {
			t.Errorf("%s: built again\n%#v\nfirst\n%#v", key, again, first)
		}
	}
}
