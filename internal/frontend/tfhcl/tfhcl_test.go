package tfhcl

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/graph"
)

func loadDir(t testing.TB, dir string, opts Options) (*graph.Graph, diag.List) {
	t.Helper()
	g := graph.New()
	return g, LoadDir(g, dir, opts)
}

func TestPlatform(t *testing.T) {
	g, diags := loadDir(t, "testdata/platform", Options{})
	var addrs []string
	for _, r := range g.Resources() {
		addrs = append(addrs, r.Address)
	}
	sort.Strings(addrs)
	want := []string{
		"aws_eks_cluster.this", "aws_eks_node_group.ng", "aws_kms_key.eks", "aws_subnet.private[0]", "aws_subnet.private[1]",
		`module.nodes["a"].aws_launch_template.this`, `module.nodes["b"].aws_launch_template.this`,
	}
	if strings.Join(addrs, " ") != strings.Join(want, " ") {
		t.Errorf("addresses\n got %v\nwant %v", addrs, want)
	}
	if len(diags) != 1 || diags[0].Severity != diag.Warning || !strings.Contains(diags[0].Summary, "terraform-aws-modules/vpc/aws") || diags[0].Line != 55 ||
		diags[0].Unread == nil || diags[0].Unread.Call != "module.registry" || diags[0].Unread.Source != "terraform-aws-modules/vpc/aws" {
		t.Errorf("want one warning naming the unread registry module at line 55, got %v", diags)
	}

	c := g.ByAddress("aws_eks_cluster.this")[0]
	if v := c.Get("name"); v.Str != "prod-stage" || v.Range.Line != 26 || !strings.HasSuffix(v.Range.File, "testdata/platform/main.tf") {
		t.Errorf("name from terraform.tfvars: %+v", v)
	}
	if logs, _ := listOf(c.Get("enabled_cluster_log_types")); strings.Join(logs, ",") != "audit,authenticator" {
		t.Errorf("*.auto.tfvars + concat: %v", logs)
	}
	if v := c.Get("tags"); v.Get("Team").Str != "platform" || v.Get("Env").Str != "stage" {
		t.Errorf("merge: %v", v)
	}
	if v := c.Get("vpc_config.endpoint_public_access"); v.Kind != graph.Bool || !v.Bool || v.Range.Line != 30 {
		t.Errorf("variable default in a nested block: %+v", v)
	}
	// A key's ARN is derived but for the id AWS assigns and the account.
	if v := c.Get("encryption_config.provider.key_arn"); !v.IsUnknown() || v.Reason() != generatedReason ||
		v.Partial() != "arn:aws:kms:${Unknown}:${Account}:key/${Unknown}" {
		t.Errorf("an attribute computed by AWS is unknown and says why: %+v", v)
	}
	if ids := c.Get("vpc_config.subnet_ids"); len(ids.Items()) != 2 || !ids.Items()[1].IsUnknown() || ids.Items()[1].Reason() != "aws_subnet.private[1].id is known only after apply" {
		t.Errorf("a splat over two subnets is a list of two unknown ids: %+v", ids)
	}
	if c.Range.Line != 25 || c.Range.EndLine != 39 {
		t.Errorf("resource range %+v", c.Range)
	}
	if s := g.ByAddress("aws_subnet.private[1]")[0]; s.Get("cidr_block").Str != "10.0.1.0/24" || !s.Get("map_public_ip_on_launch").Bool ||
		s.Get("tags").Get("Name").Str != "prod-stage-b" {
		t.Errorf("count.index, cidrsubnet, format: %v", s.Attrs)
	}
	lt := g.ByAddress(`module.nodes["b"].aws_launch_template.this`)[0]
	if lt.Get("metadata_options.http_tokens").Str != "optional" || lt.Get("name").Str != "prod-stage-lt" {
		t.Errorf("module inputs with each.key: %v", lt.Attrs)
	}
	if len(lt.Module) != 1 || lt.Module[0].Name != `module.nodes["b"]` || lt.Module[0].Range.Line != 48 {
		t.Errorf("module call chain: %+v", lt.Module)
	}
	if v := lt.Get("block_device_mappings.ebs.encrypted"); v == nil || v.Kind != graph.Bool || v.Bool || v.Range.Line != 13 {
		t.Errorf("dynamic block content: %+v", v)
	}
	ng := g.ByAddress("aws_eks_node_group.ng")[0]
	if !ng.Get("node_role_arn").IsUnknown() {
		t.Error("output of a module that is not downloaded is unknown")
	}

	var edges []string
	for _, e := range g.SortedEdges() {
		edges = append(edges, e.From.Address+" "+e.Attr+" -> "+e.To.Address)
	}
	sort.Strings(edges)
	wantEdges := []string{
		"aws_eks_cluster.this encryption_config.provider.key_arn -> aws_kms_key.eks",
		"aws_eks_cluster.this vpc_config.subnet_ids -> aws_subnet.private[0]",
		"aws_eks_cluster.this vpc_config.subnet_ids -> aws_subnet.private[1]",
		`aws_eks_node_group.ng cluster_name -> aws_eks_cluster.this`,
		`aws_eks_node_group.ng launch_template.id -> module.nodes["a"].aws_launch_template.this`,
		`module.nodes["a"].aws_launch_template.this name -> aws_eks_cluster.this`,
		`module.nodes["b"].aws_launch_template.this name -> aws_eks_cluster.this`,
	}
	if strings.Join(edges, "\n") != strings.Join(wantEdges, "\n") {
		t.Errorf("edges\n got %s\nwant %s", strings.Join(edges, "\n"), strings.Join(wantEdges, "\n"))
	}
}

func listOf(v *graph.Value) ([]string, bool) {
	var out []string
	for _, e := range v.Items() {
		out = append(out, e.Str)
	}
	return out, v.IsUnknown()
}

func TestVarsPrecedence(t *testing.T) {
	vf := filepath.Join(t.TempDir(), "prod.tfvars")
	os.WriteFile(vf, []byte("env = \"prod\"\npublic = true\n"), 0o644)
	g, _ := loadDir(t, "testdata/platform", Options{VarFiles: []string{vf}, Vars: map[string]string{"public": "false"}})
	c := g.ByAddress("aws_eks_cluster.this")[0]
	if c.Get("name").Str != "prod-prod" {
		t.Errorf("--var-file overrides terraform.tfvars: %v", c.Get("name"))
	}
	// A variable without a type takes a --var value as the raw string, as
	// Terraform does; the provider reads "false" as a boolean.
	if v := c.Get("vpc_config.endpoint_public_access"); v.Kind != graph.String || v.Str != "false" {
		t.Errorf("--var overrides --var-file: %+v", v)
	}
}

func TestRobustness(t *testing.T) {
	g, diags := loadDir(t, "testdata/cycle", Options{})
	s := g.ByAddress("aws_subnet.s")[0]
	if !s.Get("cidr_block").IsUnknown() || s.Get("tags").Get("c").Str != "fine" {
		t.Errorf("a local in a cycle is unknown, others are evaluated: %v", s.Attrs)
	}
	if len(diags) != 1 || diags[0].Severity != diag.Warning || diags[0].Line != 2 ||
		!strings.Contains(diags[0].Summary, "local.a → local.b → local.a") {
		t.Errorf("want the cycle reported once, with its chain and line, got %v", diags)
	}
	if v := s.Get("cidr_block"); v.Reason() != "local.a is part of a cycle of references" && v.Reason() != "local.b is part of a cycle of references" {
		t.Errorf("a value in a cycle says so: %+v", v)
	}

	g, diags = loadDir(t, "testdata/selfmod", Options{})
	if len(diags) != 1 || diags[0].Line != 1 || !strings.Contains(diags[0].Summary, "calls itself") || g.Len() != 1 {
		t.Errorf("self-including module: %v (%d resources)", diags, g.Len())
	}

	g, diags = loadDir(t, "testdata/invalid", Options{})
	if len(diags) == 0 || !strings.HasSuffix(diags[0].File, "broken.tf") || diags[0].Line != 2 || g.Len() != 1 {
		t.Errorf("invalid HCL: %v (%d resources)", diags, g.Len())
	}
}

func TestPolicyDocument(t *testing.T) {
	g, diags := loadDir(t, "testdata/policydoc", Options{})
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	role := g.ByAddress("aws_iam_role.ci")[0]
	want := `{"Statement":[{"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:acme/platform:*"}},"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}}],"Version":"2012-10-17"}`
	if got := role.Get("assume_role_policy"); got.Kind != graph.String || got.Str != want {
		t.Errorf("rendered trust policy:\n got %v\nwant %s", got, want)
	}
	read := g.ByAddress("data.aws_iam_policy_document.read")[0].Get("json")
	if !read.IsUnknown() {
		t.Error("a policy document with an unknown resource ARN must render as unknown")
	}
	// ... but readable: known in all but that ARN.
	if d := read.Doc(); d == nil || d.Get("Statement").Items()[0].Get("Sid").Str != "Read" ||
		!d.Get("Statement").Items()[0].Get("Resource").IsUnknown() {
		t.Errorf("the document's known parts: %v", d)
	}
	merged := g.ByAddress("data.aws_iam_policy_document.merged")[0].Get("json").Doc()
	if merged == nil || len(merged.Get("Statement").Items()) != 2 ||
		merged.Get("Statement").Items()[1].Get("Action").Str != "ec2:RunInstances" {
		t.Errorf("merging a partly known source document: %v", merged)
	}
	if op := g.ByAddress("data.aws_iam_policy_document.opaque")[0].Get("json"); !op.IsUnknown() || op.Doc() != nil {
		t.Errorf("statements not known: the document is not readable, got %v", op.Doc())
	}
	if len(g.Sources(g.ByAddress("data.aws_iam_policy_document.trust")[0], "assume_role_policy")) != 1 {
		t.Error("the role must reference the policy document")
	}
}

func TestDownloadedModule(t *testing.T) {
	g, diags := loadDir(t, "testdata/downloaded", Options{})
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	s := g.ByAddress("module.vpc.aws_subnet.public")
	if len(s) != 1 || !s[0].Get("map_public_ip_on_launch").Bool || !strings.HasSuffix(s[0].Range.File, ".terraform/modules/vpc/main.tf") {
		t.Fatalf("module from .terraform/modules: %v", s)
	}
}

func TestJSONSyntax(t *testing.T) {
	g, diags := loadDir(t, "testdata/tfjson", Options{})
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	c := g.ByAddress("aws_eks_cluster.this")
	if len(c) != 1 {
		t.Fatalf("cluster not loaded: %d resources", g.Len())
	}
	if v := c[0].Get("name"); v.Str != "acme-prod" || v.Range.Line != 14 {
		t.Errorf("template string in JSON: %+v", v)
	}
	if v := c[0].Get("vpc_config.endpoint_public_access"); v == nil || v.Kind != graph.Bool || v.Bool || v.Range.Line != 17 {
		t.Errorf("object value read as a nested block: %+v", v)
	}
	if v := c[0].Get("tags"); v.Kind != graph.Map || v.Get("Team").Str != "platform" {
		t.Errorf("tags stay a map attribute: %+v", v)
	}
	if !c[0].Get("encryption_config.provider.key_arn").IsUnknown() || len(g.Targets(c[0], "encryption_config", "aws_kms_key")) != 1 {
		t.Error("reference inside a JSON template must become an edge with an unknown value")
	}
	if s := g.ByAddress("aws_subnet.private[1]"); len(s) != 1 || s[0].Get("cidr_block").Str != "10.0.1.0/24" {
		t.Errorf("count in JSON syntax: %v", s)
	}
}

func TestNestedModulesAndUnsupportedFunctions(t *testing.T) {
	g, diags := loadDir(t, "testdata/nested", Options{})
	// One notice for the provider function, at its first call, however
	// often it is called.
	if len(diags) != 1 || diags[0].Severity != diag.Notice || diags[0].Line != 11 ||
		!strings.Contains(diags[0].Summary, "provider::aws::arn_build") || !strings.Contains(diags[0].Detail, "called 2 times") {
		t.Fatal(diags)
	}
	v := g.ByAddress(`module.a[1].module.b.module.c["x"].aws_vpc.v`)
	if len(v) != 1 || v[0].Get("tags").Get("Name").Str != "root-1-a-b-x" || len(v[0].Module) != 3 {
		t.Fatalf("three levels of modules with count and for_each: %v", v)
	}
	s := g.ByAddress("aws_subnet.s")[0]
	if s.Get("cidr_block").Str != "10.9.0.0/16" {
		t.Errorf("an output passed up through three modules: %v", s.Get("cidr_block"))
	}
	if d := s.Get("tags.digest"); d.Str != "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881" {
		t.Errorf("sha256: %v", d)
	}
	if a := s.Get("tags.arn"); !a.IsUnknown() || !strings.Contains(a.Reason(), "provider::aws::arn_build") {
		t.Errorf("a provider function makes its value unknown, and says so: %+v", a)
	}
	if ts := g.Targets(s, "cidr_block", "aws_vpc"); len(ts) != 1 || ts[0] != v[0] {
		t.Errorf("edge through module outputs: %v", ts)
	}
}

// TestPerInstanceReferences: references that depend on the instance
// (aws_s3_bucket.y[count.index], each.value of a for_each over another
// resource, aws_s3_bucket.lake[each.key]) link each instance to its own
// counterpart only.
func TestPerInstanceReferences(t *testing.T) {
	g, diags := loadDir(t, "testdata/per-instance", Options{})
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	var got []string
	for _, e := range g.SortedEdges() {
		got = append(got, e.From.Address+" -> "+e.To.Address)
	}
	want := []string{
		`aws_s3_bucket_versioning.y[0] -> aws_s3_bucket.y[0]`,
		`aws_s3_bucket_versioning.y[1] -> aws_s3_bucket.y[1]`,
		`aws_s3_bucket_public_access_block.lake["curated"] -> aws_s3_bucket.lake["curated"]`,
		`aws_s3_bucket_public_access_block.lake["raw"] -> aws_s3_bucket.lake["raw"]`,
		`aws_s3_bucket_versioning.lake["curated"] -> aws_s3_bucket.lake["curated"]`,
		`aws_s3_bucket_versioning.lake["raw"] -> aws_s3_bucket.lake["raw"]`,
	}
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("edges\n got:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// A file nested deeper than the parser's recursion can take is refused
// with a position; the other files of the directory still load.
func TestLoadDirRefusesDeepNesting(t *testing.T) {
	dir := t.TempDir()
	deep := "locals {\n  x = " + strings.Repeat("[", 200000) + strings.Repeat("]", 200000) + "\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "deep.tf"), []byte(deep), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte("resource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = true\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	g := graph.New()
	diags := LoadDir(g, dir, Options{})
	if len(diags) != 1 || diags[0].Summary != "nesting too deep" || diags[0].Line != 2 || !strings.HasSuffix(diags[0].File, "deep.tf") {
		t.Errorf("diags: %v", diags)
	}
	if len(g.OfType("aws_kms_key")) != 1 {
		t.Errorf("main.tf not loaded")
	}
}

// TestJSONVarsFiles: terraform.tfvars.json, *.auto.tfvars.json and a
// --var-file ending in .json are read as JSON in Terraform's order, and a
// string in them is itself, never a template.
func TestJSONVarsFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(p, src string) {
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(dir, "main.tf"), `variable "a" {}
variable "b" {}
variable "c" {}
variable "d" {
  type = object({ tag = string, n = number, on = bool, l = list(string) })
}
resource "aws_sqs_queue" "q" {
  name = "${var.a}-${var.b}-${var.c}"
  tags = { Tag = var.d.tag, N = tostring(var.d.n), On = tostring(var.d.on), L = join(",", var.d.l) }
}
`)
	write(filepath.Join(dir, "terraform.tfvars"), "a = \"hcl\"\nb = \"hcl\"\n")
	write(filepath.Join(dir, "terraform.tfvars.json"), `{"b": "json", "c": "json"}`)
	write(filepath.Join(dir, "x.auto.tfvars.json"), `{"c": "auto", "d": {"tag": "${literal}", "n": 2, "on": true, "l": ["p", "q"]}}`)
	vf := filepath.Join(t.TempDir(), "prod.tfvars.json")
	write(vf, `{"a": "varfile"}`)
	g, diags := loadDir(t, dir, Options{VarFiles: []string{vf}})
	if len(diags) != 0 {
		t.Errorf("diagnostics: %v", diags)
	}
	q := g.ByAddress("aws_sqs_queue.q")[0]
	if v := q.Get("name"); v.Str != "varfile-json-auto" {
		t.Errorf("name: %+v", v)
	}
	tags := q.Get("tags")
	for k, want := range map[string]string{"Tag": "${literal}", "N": "2", "On": "true", "L": "p,q"} {
		if got := tags.Get(k).Str; got != want {
			t.Errorf("tags.%s = %q, want %q", k, got, want)
		}
	}
	if got := NewCache(false).VarFileNames(vf); strings.Join(got, ",") != "a" {
		t.Errorf("VarFileNames: %v", got)
	}
	bad := filepath.Join(t.TempDir(), "bad.tfvars.json")
	write(bad, `["a"]`)
	if _, diags := loadDir(t, dir, Options{VarFiles: []string{bad}}); len(diags) != 1 || diags[0].Severity != diag.Error {
		t.Errorf("a JSON variables file that is not an object: %v", diags)
	}
}

// TestProviders: provider blocks (HCL and JSON syntax, aliased, in a
// module) are provider configurations in the graph, with their arguments
// evaluated and their references as edges; they are not managed
// resources.
func TestProviders(t *testing.T) {
	g, diags := loadDir(t, "testdata/providers", Options{})
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	for _, c := range []struct{ addr, typ, name, attr, want string }{
		{"provider.aws", "aws", "aws", "region", "eu-west-1"},
		{"provider.aws.west", "aws", "west", "assume_role.role_arn", "arn:aws:iam::123456789012:role/deploy"},
		{"module.inner.provider.aws.inner", "aws", "inner", "region", "ap-south-1"},
		{"provider.github", "github", "github", "token", "eu-west-1"},
	} {
		rs := g.ByAddress(c.addr)
		if len(rs) != 1 {
			t.Errorf("%s: %d resources", c.addr, len(rs))
			continue
		}
		r := rs[0]
		if r.Mode != graph.Provider || r.Type != c.typ || r.Name != c.name {
			t.Errorf("%s: mode %s type %s name %s", c.addr, r.Mode, r.Type, r.Name)
		}
		if v := r.Get(c.attr); v == nil || v.Str != c.want {
			t.Errorf("%s %s = %v, want %q", c.addr, c.attr, v, c.want)
		}
		if r.Get("alias") != nil {
			t.Errorf("%s: alias is a meta-argument, not an argument", c.addr)
		}
	}
	if r := g.ByAddress("module.inner.provider.aws.inner"); len(r) == 1 && (len(r[0].Module) != 1 || r[0].Module[0].Name != "module.inner") {
		t.Errorf("module chain: %v", r[0].Module)
	}
	k := g.ByAddress("provider.kubernetes")
	if len(k) != 1 || !k[0].Get("token").IsUnknown() || len(g.Targets(k[0], "token", "aws_eks_cluster_auth")) != 1 {
		t.Errorf("a reference in a provider block is an unknown value and an edge")
	}
	if len(g.OfType("aws")) != 0 || len(g.ProvidersOf("aws")) != 3 {
		t.Errorf("providers are apart from resources: OfType %d, ProvidersOf %d", len(g.OfType("aws")), len(g.ProvidersOf("aws")))
	}
}

// TestDiagnosticsInFixedOrder: evaluation meets attributes as written and
// module calls and outputs by name, so the diagnostics it gives come in
// the same order on every run, not in Go's map order.
func TestDiagnosticsInFixedOrder(t *testing.T) {
	dir := t.TempDir()
	src := `module "b" {
  source = "terraform-aws-modules/b/aws"
}
module "a" {
  source = "terraform-aws-modules/a/aws"
}
module "c" {
  source = "terraform-aws-modules/c/aws"
}
resource "aws_sns_topic" "t" {
  name              = module.a.x
  kms_master_key_id = module.b.y
  display_name      = "${module.c.z}${module.a.z}"
  policy            = jsonencode({ b = module.b.p, c = module.c.p })
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	var first []string
	for i := 0; i < 20; i++ {
		_, diags := loadDir(t, dir, Options{})
		var got []string
		for _, d := range diags {
			got = append(got, d.Summary)
		}
		if i == 0 {
			first = got
			if len(got) != 3 || !strings.HasPrefix(got[0], "module a ") || !strings.HasPrefix(got[1], "module b ") {
				t.Fatalf("want the unread modules in the order the attributes read them, a, b, c: %q", got)
			}
			continue
		}
		if strings.Join(got, "\n") != strings.Join(first, "\n") {
			t.Fatalf("run %d gave the diagnostics in another order:\n%q\nthen\n%q", i, first, got)
		}
	}
}
