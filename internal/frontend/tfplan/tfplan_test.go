package tfplan

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/jsonpos"
)

func load(t testing.TB, src string) *graph.Graph {
	t.Helper()
	root, err := jsonpos.Parse([]byte(src), "plan.json")
	if err != nil {
		t.Fatal(err)
	}
	if !Detect(root) {
		t.Fatal("not detected as a plan")
	}
	g := graph.New()
	if d := Load(g, root, "plan.json"); len(d) != 0 {
		t.Fatalf("diagnostics: %v", d)
	}
	return g
}

func one(t *testing.T, g *graph.Graph, addr string) *graph.Resource {
	t.Helper()
	rs := g.ByAddress(addr)
	if len(rs) != 1 {
		t.Fatalf("%s: %d resources", addr, len(rs))
	}
	return rs[0]
}

const unknownPlan = `{
  "format_version": "1.2",
  "planned_values": {"root_module": {"child_modules": [{"address": "module.a", "child_modules": [
    {"address": "module.a.module.b[0]", "resources": [
      {"address": "module.a.module.b[0].aws_s3_bucket.c[\"k.v\"]", "mode": "managed", "type": "aws_s3_bucket", "name": "c", "index": "k.v",
       "values": {"bucket": "planned"}}
    ]}]}]}},
  "prior_state": {"values": {"root_module": {"resources": [
    {"address": "data.aws_ami.x", "mode": "data", "type": "aws_ami", "name": "x", "values": {"name": "amazon-eks-node"}}
  ]}}},
  "resource_changes": [
    {"address": "aws_eks_cluster.c", "mode": "managed", "type": "aws_eks_cluster", "name": "c",
     "change": {"actions": ["create"], "after": {
       "name": "c",
       "vpc_config": [{"endpoint_public_access": true, "subnet_ids": null}],
       "tags": {"a": "b"}
     }, "after_unknown": {"arn": true, "vpc_config": [{"subnet_ids": true, "security_group_ids": [true]}], "encryption_config": [{"provider": [{"key_arn": true}]}]}}},
    {"address": "aws_subnet.gone", "mode": "managed", "type": "aws_subnet", "name": "gone",
     "change": {"actions": ["delete"], "before": {}, "after": null}},
    {"address": "aws_subnet.replaced", "mode": "managed", "type": "aws_subnet", "name": "replaced",
     "change": {"actions": ["create", "delete"], "before": {}, "after": {"cidr_block": "10.0.0.0/24"}, "after_unknown": {}}}
  ]
}`

func TestUnknownsModulesAndActions(t *testing.T) {
	g := load(t, unknownPlan)
	c := one(t, g, "aws_eks_cluster.c")
	if !c.Get("arn").IsUnknown() || !c.Get("vpc_config.subnet_ids").IsUnknown() {
		t.Error("values flagged in after_unknown must be unknown")
	}
	if v := c.Get("vpc_config.endpoint_public_access"); v == nil || v.Kind != graph.Bool || !v.Bool || v.Range.Line != 15 {
		t.Errorf("known value kept with its line: %+v", v)
	}
	if v := c.Get("vpc_config.security_group_ids"); v == nil || v.Kind != graph.List || !v.List[0].IsUnknown() {
		t.Errorf("unknown list element under an absent key: %+v", v)
	}
	if !c.Get("encryption_config.provider.key_arn").IsUnknown() {
		t.Error("a nested unknown absent from after must be built from after_unknown")
	}
	if c.Range.Line != 12 {
		t.Errorf("resource located at line %d, want its address line 12", c.Range.Line)
	}
	if len(g.ByAddress("aws_subnet.gone")) != 0 {
		t.Error("a destroyed resource is not part of the result")
	}
	one(t, g, "aws_subnet.replaced")
	b := one(t, g, `module.a.module.b[0].aws_s3_bucket.c["k.v"]`)
	if len(b.Module) != 2 || b.Module[0].Name != "module.a" || b.Module[1].Name != "module.b[0]" || b.ModulePath != "module.a.module.b[0]" {
		t.Errorf("module chain %+v path %q", b.Module, b.ModulePath)
	}
	if b.ConfigAddr != "aws_s3_bucket.c" || b.Type != "aws_s3_bucket" {
		t.Errorf("config addr %q", b.ConfigAddr)
	}
	if d := g.DataOfType("aws_ami"); len(d) != 1 || d[0].Get("name").Str != "amazon-eks-node" {
		t.Error("data sources read at plan time come from prior_state")
	}
}

const refPlan = `{
  "format_version": "1.2",
  "resource_changes": [
    {"address": "aws_kms_key.k", "mode": "managed", "type": "aws_kms_key", "name": "k", "change": {"actions": ["create"], "after": {}, "after_unknown": {}}},
    {"address": "aws_subnet.s[0]", "mode": "managed", "type": "aws_subnet", "name": "s", "index": 0, "change": {"actions": ["create"], "after": {}, "after_unknown": {}}},
    {"address": "aws_subnet.s[1]", "mode": "managed", "type": "aws_subnet", "name": "s", "index": 1, "change": {"actions": ["create"], "after": {}, "after_unknown": {}}},
    {"address": "module.m[0].aws_eks_cluster.c", "module_address": "module.m[0]", "mode": "managed", "type": "aws_eks_cluster", "name": "c", "change": {"actions": ["create"], "after": {}, "after_unknown": {}}},
    {"address": "module.m[0].aws_launch_template.lt", "module_address": "module.m[0]", "mode": "managed", "type": "aws_launch_template", "name": "lt", "change": {"actions": ["create"], "after": {}, "after_unknown": {}}},
    {"address": "module.m[1].aws_eks_cluster.c", "module_address": "module.m[1]", "mode": "managed", "type": "aws_eks_cluster", "name": "c", "change": {"actions": ["create"], "after": {}, "after_unknown": {}}},
    {"address": "module.m[1].aws_launch_template.lt", "module_address": "module.m[1]", "mode": "managed", "type": "aws_launch_template", "name": "lt", "change": {"actions": ["create"], "after": {}, "after_unknown": {}}},
    {"address": "aws_eks_addon.a", "mode": "managed", "type": "aws_eks_addon", "name": "a", "change": {"actions": ["create"], "after": {}, "after_unknown": {}}}
  ],
  "configuration": {"root_module": {
    "resources": [
      {"address": "aws_eks_addon.a", "mode": "managed", "type": "aws_eks_addon", "name": "a",
       "expressions": {"cluster_name": {"references": ["module.m[1].name", "module.m[1]", "module.m"]}}}
    ],
    "module_calls": {"m": {"source": "./m", "count_expression": {"constant_value": 2},
      "expressions": {"key": {"references": ["aws_kms_key.k.arn", "aws_kms_key.k"]}, "subnet": {"references": ["aws_subnet.s[1].id", "aws_subnet.s[1]", "aws_subnet.s"]},
                      "loop": {"references": ["var.loop"]}},
      "module": {
        "outputs": {"name": {"expression": {"references": ["aws_eks_cluster.c.name", "aws_eks_cluster.c"]}},
                    "cyc": {"expression": {"references": ["module.self.cyc"]}}},
        "resources": [
          {"address": "aws_eks_cluster.c", "mode": "managed", "type": "aws_eks_cluster", "name": "c",
           "expressions": {"encryption_config": [{"provider": [{"key_arn": {"references": ["var.key"]}}]}],
                           "vpc_config": [{"subnet_ids": {"references": ["var.subnet"]}}],
                           "tags": {"references": ["var.loop", "local.tags", "each.value"]}}},
          {"address": "aws_launch_template.lt", "mode": "managed", "type": "aws_launch_template", "name": "lt",
           "expressions": {"name": {"references": ["aws_eks_cluster.c.name", "aws_eks_cluster.c"]}}}
        ]}}}
  }}
}`

func edges(g *graph.Graph) []string {
	var out []string
	for _, e := range g.SortedEdges() {
		out = append(out, e.From.Address+" "+e.Attr+" -> "+e.To.Address)
	}
	sort.Strings(out)
	return out
}

func TestReferences(t *testing.T) {
	g := load(t, refPlan)
	got := strings.Join(edges(g), "\n")
	want := strings.Join([]string{
		"aws_eks_addon.a cluster_name -> module.m[1].aws_eks_cluster.c",
		"module.m[0].aws_eks_cluster.c encryption_config.provider.key_arn -> aws_kms_key.k",
		"module.m[0].aws_eks_cluster.c vpc_config.subnet_ids -> aws_subnet.s[1]",
		"module.m[0].aws_launch_template.lt name -> module.m[0].aws_eks_cluster.c",
		"module.m[1].aws_eks_cluster.c encryption_config.provider.key_arn -> aws_kms_key.k",
		"module.m[1].aws_eks_cluster.c vpc_config.subnet_ids -> aws_subnet.s[1]",
		"module.m[1].aws_launch_template.lt name -> module.m[1].aws_eks_cluster.c",
	}, "\n")
	if got != want {
		t.Errorf("edges:\n%s\nwant:\n%s", got, want)
	}
}

func TestAddr(t *testing.T) {
	p := parseAddr(`module.a["x.y"].module.b[0].data.aws_iam_policy_document.d["k"]`)
	if strings.Join(p.modules, "|") != `module.a["x.y"]|module.b[0]` || p.configMod != "module.a.module.b" ||
		p.configAddr != "data.aws_iam_policy_document.d" || p.index != `["k"]` {
		t.Errorf("%+v", p)
	}
	if got := splitAddr(`a["b.\"c"].d`); len(got) != 2 {
		t.Errorf("split %q", got)
	}
	if got := mostSpecific([]string{"module.vpc.private_subnets", "module.vpc", "aws_x.y[0].id", "aws_x.y[0]", "aws_x.y"}); strings.Join(got, ",") != "module.vpc.private_subnets,aws_x.y[0].id" {
		t.Errorf("mostSpecific = %v", got)
	}
}

// TestOldFormat reads a plan in the shape Terraform 0.15 writes: format
// 0.2, no module_address on resource changes.
func TestOldFormat(t *testing.T) {
	g := load(t, `{"format_version": "0.2", "terraform_version": "0.15.5",
	  "planned_values": {"root_module": {}},
	  "resource_changes": [{"address": "module.x.aws_subnet.s", "mode": "managed", "type": "aws_subnet", "name": "s",
	    "change": {"actions": ["create"], "before": null, "after": {"map_public_ip_on_launch": true}, "after_unknown": {"id": true}}}]}`)
	s := one(t, g, "module.x.aws_subnet.s")
	if s.ModulePath != "module.x" || !s.Get("id").IsUnknown() {
		t.Errorf("%+v", s)
	}
}

// TestPerInstanceReferences: a resource made per element of another
// resource's instances (for_each = aws_s3_bucket.lake, bucket =
// each.value.id; or aws_s3_bucket.logs[count.index].id) links each of its
// instances to its own counterpart only, as plans write these references
// without the instance key.
func TestPerInstanceReferences(t *testing.T) {
	rc := func(addr, typ, name, index string) string {
		return `{"address": "` + addr + `", "mode": "managed", "type": "` + typ + `", "name": "` + name + `", "index": ` + index +
			`, "change": {"actions": ["create"], "after": {}, "after_unknown": {"id": true}}}`
	}
	src := `{"format_version": "1.2", "resource_changes": [` +
		rc(`aws_s3_bucket.lake[\"raw\"]`, "aws_s3_bucket", "lake", `"raw"`) + "," +
		rc(`aws_s3_bucket.lake[\"curated\"]`, "aws_s3_bucket", "lake", `"curated"`) + "," +
		rc(`aws_s3_bucket_public_access_block.lake[\"raw\"]`, "aws_s3_bucket_public_access_block", "lake", `"raw"`) + "," +
		rc(`aws_s3_bucket_public_access_block.lake[\"curated\"]`, "aws_s3_bucket_public_access_block", "lake", `"curated"`) + "," +
		rc(`aws_s3_bucket.logs[0]`, "aws_s3_bucket", "logs", "0") + "," +
		rc(`aws_s3_bucket.logs[1]`, "aws_s3_bucket", "logs", "1") + "," +
		rc(`aws_s3_bucket_versioning.logs[0]`, "aws_s3_bucket_versioning", "logs", "0") + "," +
		rc(`aws_s3_bucket_versioning.logs[1]`, "aws_s3_bucket_versioning", "logs", "1") + `],
  "configuration": {"root_module": {"resources": [
    {"address": "aws_s3_bucket_public_access_block.lake", "mode": "managed", "type": "aws_s3_bucket_public_access_block", "name": "lake",
     "for_each_expression": {"references": ["aws_s3_bucket.lake"]},
     "expressions": {"bucket": {"references": ["each.value.id", "each.value"]}}},
    {"address": "aws_s3_bucket_versioning.logs", "mode": "managed", "type": "aws_s3_bucket_versioning", "name": "logs",
     "count_expression": {"references": ["aws_s3_bucket.logs"]},
     "expressions": {"bucket": {"references": ["aws_s3_bucket.logs", "count.index"]}}}
  ]}}}`
	g := load(t, src)
	got := strings.Join(edges(g), "\n")
	for _, want := range []string{
		`aws_s3_bucket_public_access_block.lake["raw"] bucket -> aws_s3_bucket.lake["raw"]`,
		`aws_s3_bucket_public_access_block.lake["curated"] bucket -> aws_s3_bucket.lake["curated"]`,
		`aws_s3_bucket_versioning.logs[1] bucket -> aws_s3_bucket.logs[1]`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing edge %s", want)
		}
	}
	for _, bad := range []string{
		`aws_s3_bucket_public_access_block.lake["raw"] bucket -> aws_s3_bucket.lake["curated"]`,
		`aws_s3_bucket_versioning.logs[1] bucket -> aws_s3_bucket.logs[0]`,
	} {
		if strings.Contains(got, bad) {
			t.Errorf("edge to another instance: %s", bad)
		}
	}
	if t.Failed() {
		t.Logf("edges:\n%s", got)
	}
}

const providerPlan = `{
  "format_version": "1.2",
  "variables": {"region": {"value": "eu-west-1"}},
  "prior_state": {"values": {"root_module": {"resources": [
    {"address": "data.aws_eks_cluster_auth.this", "mode": "data", "type": "aws_eks_cluster_auth", "name": "this", "values": {"name": "prod"}}
  ]}}},
  "resource_changes": [
    {"address": "module.m.aws_sqs_queue.q", "module_address": "module.m", "mode": "managed", "type": "aws_sqs_queue", "name": "q",
     "change": {"actions": ["create"], "after": {"name": "q"}, "after_unknown": {"id": true}}}
  ],
  "configuration": {
    "provider_config": {
      "aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws", "expressions": {
        "region": {"references": ["var.region"]},
        "assume_role": [{"role_arn": {"constant_value": "arn:aws:iam::123456789012:role/deploy"}}]}},
      "kubernetes": {"name": "kubernetes", "expressions": {
        "token": {"references": ["data.aws_eks_cluster_auth.this.token", "data.aws_eks_cluster_auth.this"]}}},
      "module.m:aws": {"name": "aws", "alias": "inner", "module_address": "module.m", "expressions": {
        "region": {"references": ["var.region"]},
        "profile": {"references": ["aws_sqs_queue.q.name", "aws_sqs_queue.q"]}}}
    },
    "root_module": {"resources": [
      {"address": "data.aws_eks_cluster_auth.this", "mode": "data", "type": "aws_eks_cluster_auth", "name": "this", "expressions": {}}],
     "module_calls": {"m": {"source": "./m", "module": {"resources": [
      {"address": "aws_sqs_queue.q", "mode": "managed", "type": "aws_sqs_queue", "name": "q", "expressions": {}}]}}}}
  }
}`

// TestProviders: a plan's provider configurations are in the graph as the
// HCL front-end puts them: literal arguments and a root module's root
// variables known, other references unknown, with edges.
func TestProviders(t *testing.T) {
	g := load(t, providerPlan)
	aws := one(t, g, "provider.aws")
	if aws.Mode != graph.Provider || aws.Type != "aws" || aws.Name != "aws" {
		t.Errorf("provider.aws: %s %s %s", aws.Mode, aws.Type, aws.Name)
	}
	if v := aws.Get("region"); v.Str != "eu-west-1" {
		t.Errorf("a root variable's value from the plan: %v", v)
	}
	if v := aws.Get("assume_role.role_arn"); v.Str != "arn:aws:iam::123456789012:role/deploy" {
		t.Errorf("a nested block's literal: %v", v)
	}
	inner := one(t, g, "module.m.provider.aws.inner")
	if inner.Name != "inner" || len(inner.Module) != 1 || inner.ModulePath != "module.m" {
		t.Errorf("module provider: %+v", inner)
	}
	if v := inner.Get("region"); !v.IsUnknown() || !strings.Contains(v.Reason(), "var.region") {
		t.Errorf("a module's variable is not resolved: %+v", v)
	}
	got := strings.Join(edges(g), "\n")
	want := "module.m.provider.aws.inner profile -> module.m.aws_sqs_queue.q\nprovider.kubernetes token -> data.aws_eks_cluster_auth.this"
	if got != want {
		t.Errorf("edges:\n%s\nwant:\n%s", got, want)
	}
	if len(g.OfType("aws")) != 0 || len(g.ProvidersOf("aws")) != 2 {
		t.Error("providers are apart from resources")
	}
}

// TestReferencesAcrossModuleInstances: a reference resolves within the
// referring resource's own module instance; one to a module call without
// its key ([*]) reaches every instance of that call under the same parent
// instance only, in plan order; per-instance references into a large
// for_each find their counterpart by key.
func TestReferencesAcrossModuleInstances(t *testing.T) {
	rc := func(addr string) string {
		return `{"address": ` + strconv.Quote(addr) + `, "mode": "managed",
		  "change": {"actions": ["create"], "after": {}, "after_unknown": {"id": true}}}`
	}
	// Plan order is not module order: the edges of one reference must
	// still come out in plan order.
	var changes []string
	for _, b := range []string{`"y"`, `"x"`} {
		for _, a := range []string{"1", "0"} {
			changes = append(changes, rc(`module.a[`+a+`].module.b[`+b+`].aws_sqs_queue.q`))
		}
	}
	changes = append(changes, rc(`module.a[1].aws_sns_topic.t`), rc(`module.a[0].aws_sns_topic.t`), rc(`aws_iam_role.r`))
	for i := 0; i < 12; i++ {
		k := fmt.Sprintf(`["k%d"]`, i)
		changes = append(changes, rc(`aws_s3_bucket.lake`+k), rc(`aws_s3_bucket_policy.p`+k))
	}
	changes = append(changes, rc(`aws_s3_bucket_acl.one`))
	src := `{"format_version": "1.2", "resource_changes": [` + strings.Join(changes, ",") + `],
  "configuration": {"root_module": {
    "resources": [
      {"address": "aws_iam_role.r", "expressions": {"name": {"references": ["module.a.topic", "module.a"]},
        "path": {"references": ["module.a.queues", "module.a"]}}},
      {"address": "aws_s3_bucket.lake", "expressions": {}},
      {"address": "aws_s3_bucket_policy.p", "for_each_expression": {"references": ["aws_s3_bucket.lake"]},
       "expressions": {"bucket": {"references": ["aws_s3_bucket.lake", "each.key"]}}},
      {"address": "aws_s3_bucket_acl.one", "expressions": {"bucket": {"references": ["aws_s3_bucket.lake[\"k7\"].id", "aws_s3_bucket.lake[\"k7\"]"]}}}],
    "module_calls": {"a": {"source": "./a", "module": {
      "outputs": {"topic": {"expression": {"references": ["aws_sns_topic.t.arn", "aws_sns_topic.t"]}},
        "queues": {"expression": {"references": ["module.b.queue", "module.b"]}}},
      "resources": [{"address": "aws_sns_topic.t", "expressions": {"name": {"references": ["module.b.queue", "module.b"]}}}],
      "module_calls": {"b": {"source": "./b", "module": {
        "outputs": {"queue": {"expression": {"references": ["aws_sqs_queue.q.arn", "aws_sqs_queue.q"]}}},
        "resources": [{"address": "aws_sqs_queue.q", "expressions": {}}]}}}}}}}}}`
	g := load(t, src)
	targets := func(addr string) string {
		var out []string
		for _, e := range g.Out(one(t, g, addr)) {
			out = append(out, e.Attr+" -> "+e.To.Address)
		}
		return strings.Join(out, "\n")
	}
	for addr, want := range map[string]string{
		`module.a[0].aws_sns_topic.t`: `name -> module.a[0].module.b["y"].aws_sqs_queue.q` + "\n" +
			`name -> module.a[0].module.b["x"].aws_sqs_queue.q`,
		`aws_iam_role.r`: "name -> module.a[1].aws_sns_topic.t\nname -> module.a[0].aws_sns_topic.t\n" +
			`path -> module.a[1].module.b["y"].aws_sqs_queue.q` + "\n" +
			`path -> module.a[0].module.b["y"].aws_sqs_queue.q` + "\n" +
			`path -> module.a[1].module.b["x"].aws_sqs_queue.q` + "\n" +
			`path -> module.a[0].module.b["x"].aws_sqs_queue.q`,
		`aws_s3_bucket_policy.p["k3"]`:  `bucket -> aws_s3_bucket.lake["k3"]`,
		`aws_s3_bucket_policy.p["k11"]`: `bucket -> aws_s3_bucket.lake["k11"]`,
		`aws_s3_bucket_acl.one`:         `bucket -> aws_s3_bucket.lake["k7"]`,
	} {
		if got := targets(addr); got != want {
			t.Errorf("%s:\n%s\nwant:\n%s", addr, got, want)
		}
	}
}
