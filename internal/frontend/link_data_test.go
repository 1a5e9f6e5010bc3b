package frontend

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/graph"
)

// s3SplitTypes are the resources of AWS provider v4+ that configure one
// part of a bucket and name it in "bucket".
var s3SplitTypes = []string{
	"aws_s3_bucket_public_access_block", "aws_s3_bucket_acl", "aws_s3_bucket_policy",
	"aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket_versioning",
	"aws_s3_bucket_logging", "aws_s3_bucket_ownership_controls",
}

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func loadClean(t *testing.T, dir string) *graph.Graph {
	t.Helper()
	res := Load([]string{dir}, Options{})
	for _, d := range res.Diags {
		t.Errorf("diagnostic: %s", d.String())
	}
	return res.Graph
}

// bucketsOf lists the addresses of the buckets r is linked to at "bucket".
func bucketsOf(g *graph.Graph, r *graph.Resource) string {
	var out []string
	for _, b := range g.Targets(r, "bucket", "aws_s3_bucket") {
		out = append(out, b.Address)
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

// TestLinkS3SplitByLiteralName: each split resource that writes its
// bucket's name literally reaches that bucket, and only it, whether the
// name is a string literal, each.value of a for_each over a map of buckets,
// or a module input of a module called twice.
func TestLinkS3SplitByLiteralName(t *testing.T) {
	var split strings.Builder
	for _, typ := range s3SplitTypes {
		split.WriteString(`
resource "` + typ + `" "logs" {
  bucket = "acme-logs"
}

resource "` + typ + `" "zone" {
  for_each = var.zones
  bucket   = each.value
}
`)
	}
	dir := writeTree(t, map[string]string{
		"main.tf": `
variable "zones" {
  default = { raw = "acme-raw", curated = "acme-curated" }
}

resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}

resource "aws_s3_bucket" "zone" {
  for_each = var.zones
  bucket   = each.value
}

module "a" {
  source = "./bucket"
  name   = "acme-a"
}

module "b" {
  source = "./bucket"
  name   = "acme-b"
}
` + split.String(),
		"bucket/main.tf": `
variable "name" {}

resource "aws_s3_bucket" "this" {
  bucket = var.name
}

# By reference and by the name both.
resource "aws_s3_bucket_policy" "ref" {
  bucket = aws_s3_bucket.this.id
  policy = "{}"
}

resource "aws_s3_bucket_public_access_block" "name" {
  bucket = var.name
}
`,
	})
	g := loadClean(t, dir)
	for _, typ := range s3SplitTypes {
		for addr, want := range map[string]string{
			typ + ".logs":            "aws_s3_bucket.logs",
			typ + `.zone["raw"]`:     `aws_s3_bucket.zone["raw"]`,
			typ + `.zone["curated"]`: `aws_s3_bucket.zone["curated"]`,
		} {
			rs := g.ByAddress(addr)
			if len(rs) != 1 {
				t.Errorf("%s: %d resources", addr, len(rs))
				continue
			}
			if got := bucketsOf(g, rs[0]); got != want {
				t.Errorf("%s is linked to [%s], want [%s]", addr, got, want)
			}
		}
	}
	for addr, want := range map[string]string{
		"module.a.aws_s3_bucket_policy.ref":               "module.a.aws_s3_bucket.this",
		"module.b.aws_s3_bucket_policy.ref":               "module.b.aws_s3_bucket.this",
		"module.a.aws_s3_bucket_public_access_block.name": "module.a.aws_s3_bucket.this",
		"module.b.aws_s3_bucket_public_access_block.name": "module.b.aws_s3_bucket.this",
	} {
		rs := g.ByAddress(addr)
		if len(rs) != 1 {
			t.Fatalf("%s: %d resources", addr, len(rs))
		}
		if got := bucketsOf(g, rs[0]); got != want {
			t.Errorf("%s is linked to [%s], want [%s]", addr, got, want)
		}
	}
}

// TestLinkS3AcrossFormats: a literal bucket name links a split resource to
// a bucket whose id the plan knows (a bucket that already exists), and a
// CloudFormation bucket policy naming its bucket literally to the bucket.
func TestLinkS3AcrossFormats(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"plan/plan.json": `{
  "format_version": "1.2",
  "resource_changes": [
    {"address": "aws_s3_bucket.logs", "mode": "managed", "type": "aws_s3_bucket", "name": "logs",
      "change": {"actions": ["no-op"], "after": {"id": "acme-logs", "arn": "arn:aws:s3:::acme-logs"}, "after_unknown": {}}},
    {"address": "aws_s3_bucket.other", "mode": "managed", "type": "aws_s3_bucket", "name": "other",
      "change": {"actions": ["no-op"], "after": {"id": "acme-other", "bucket": "acme-other"}, "after_unknown": {}}},
    {"address": "aws_s3_bucket_ownership_controls.logs", "mode": "managed", "type": "aws_s3_bucket_ownership_controls", "name": "logs",
      "change": {"actions": ["create"], "after": {"bucket": "acme-logs", "rule": [{"object_ownership": "BucketOwnerEnforced"}]}, "after_unknown": {"id": true}}}
  ]
}`,
		"cfn/template.yaml": `
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Data:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: acme-data
  DataPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: acme-data
      PolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {AWS: "arn:aws:iam::111122223333:root"}, Action: "s3:GetObject", Resource: "arn:aws:s3:::acme-data/*"}
`,
	})
	g := loadClean(t, dir)
	for addr, want := range map[string]string{
		"aws_s3_bucket_ownership_controls.logs": "aws_s3_bucket.logs",
		"DataPolicy":                            "Data",
	} {
		rs := g.ByAddress(addr)
		if len(rs) != 1 {
			t.Errorf("%s: %d resources", addr, len(rs))
			continue
		}
		if got := bucketsOf(g, rs[0]); got != want {
			t.Errorf("%s is linked to [%s], want [%s]", addr, got, want)
		}
	}
}

// TestLinkDataValues: the other resources that name their target by a
// literal value (an id, ARN or name) rather than by reference.
func TestLinkDataValues(t *testing.T) {
	g := graph.New()
	add := func(typ, name string, attrs map[string]any) *graph.Resource {
		m := map[string]*graph.Value{}
		for k, v := range attrs {
			m[k] = graph.NewString(v.(string))
		}
		return g.Add(&graph.Resource{Type: typ, Name: name, Address: typ + "." + name, Attrs: graph.NewMap(m)})
	}
	keyARN := "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	key := add("aws_kms_key", "s3", map[string]any{"id": "1234abcd-12ab-34cd-56ef-1234567890ab", "key_id": "1234abcd-12ab-34cd-56ef-1234567890ab", "arn": keyARN})
	otherKey := add("aws_kms_key", "other", map[string]any{"id": "ffff", "key_id": "ffff", "arn": "arn:aws:kms:eu-west-1:111122223333:key/ffff"})
	secretARN := "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf"
	secret := add("aws_secretsmanager_secret", "db", map[string]any{"id": secretARN, "arn": secretARN, "name": "prod/db"})
	vpc := add("aws_vpc", "main", map[string]any{"id": "vpc-0a1b2c3d"})
	nacl := add("aws_network_acl", "private", map[string]any{"id": "acl-0a1b2c3d"})
	repo := add("aws_ecr_repository", "app", map[string]any{"name": "acme/app"})
	lbARN := "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/web/50dc6c495c0c9188"
	lb := add("aws_lb", "web", map[string]any{"arn": lbARN})

	cases := []struct {
		from *graph.Resource
		attr string
		want *graph.Resource
	}{
		{add("aws_kms_key_policy", "by_id", map[string]any{"key_id": "1234abcd-12ab-34cd-56ef-1234567890ab"}), "key_id", key},
		{add("aws_kms_key_policy", "by_arn", map[string]any{"key_id": keyARN}), "key_id", key},
		{add("aws_flow_log", "main", map[string]any{"vpc_id": "vpc-0a1b2c3d"}), "vpc_id", vpc},
		{add("aws_network_acl_rule", "in", map[string]any{"network_acl_id": "acl-0a1b2c3d"}), "network_acl_id", nacl},
		{add("aws_secretsmanager_secret_version", "by_arn", map[string]any{"secret_id": secretARN}), "secret_id", secret},
		{add("aws_secretsmanager_secret_version", "by_name", map[string]any{"secret_id": "prod/db"}), "secret_id", secret},
		{add("aws_ecr_repository_policy", "app", map[string]any{"repository": "acme/app"}), "repository", repo},
		{add("aws_lb_listener", "https", map[string]any{"load_balancer_arn": lbARN}), "load_balancer_arn", lb},
		// A value naming nothing declared links to nothing.
		{add("aws_flow_log", "elsewhere", map[string]any{"vpc_id": "vpc-ffffffff"}), "vpc_id", nil},
	}
	Link(g)
	for _, c := range cases {
		got := g.Targets(c.from, c.attr)
		switch {
		case c.want == nil && len(got) != 0:
			t.Errorf("%s is linked to %s, want nothing", c.from.Address, got[0].Address)
		case c.want != nil && (len(got) != 1 || got[0] != c.want):
			var names []string
			for _, r := range got {
				names = append(names, r.Address)
			}
			t.Errorf("%s is linked to %v, want [%s]", c.from.Address, names, c.want.Address)
		}
	}
	if src := g.Sources(otherKey, ""); len(src) != 0 {
		t.Errorf("%s has sources %v, want none", otherKey.Address, src[0].Address)
	}
}

// TestLinkReferenceOutranksName: an attribute that refers to a resource
// reaches that resource only, whichever of its attributes the reference
// names (bucket or id, name or id), even when another resource of the
// scan carries the same name; a value no reference to a managed resource
// accounts for is still matched by name.
func TestLinkReferenceOutranksName(t *testing.T) {
	var split strings.Builder
	for _, typ := range s3SplitTypes {
		split.WriteString(`
resource "` + typ + `" "by_bucket" {
  bucket = aws_s3_bucket.a.bucket
}

resource "` + typ + `" "by_id" {
  bucket = aws_s3_bucket.b.id
}

resource "` + typ + `" "literal" {
  bucket = "acme-twin"
}

resource "` + typ + `" "derived" {
  bucket = "${aws_s3_bucket.a.bucket}-logs"
}

resource "` + typ + `" "via_data" {
  bucket = data.aws_s3_bucket.existing.bucket
}
`)
	}
	dir := writeTree(t, map[string]string{
		"main.tf": `
resource "aws_s3_bucket" "a" {
  bucket = "acme-twin"
}

resource "aws_s3_bucket" "b" {
  bucket = "acme-twin"
}

resource "aws_s3_bucket" "logs" {
  bucket = "acme-twin-logs"
}

resource "aws_s3_bucket" "shared" {
  bucket = "acme-shared"
}

data "aws_s3_bucket" "existing" {
  bucket = "acme-shared"
}

resource "aws_iam_role" "a" {
  name               = "eks-node"
  assume_role_policy = "{}"
}

resource "aws_iam_role" "b" {
  name               = "eks-node"
  assume_role_policy = "{}"
}

resource "aws_iam_role_policy_attachment" "by_name" {
  role       = aws_iam_role.a.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"
}

resource "aws_iam_role_policy_attachment" "by_id" {
  role       = aws_iam_role.b.id
  policy_arn = "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"
}

resource "aws_iam_role_policy_attachment" "literal" {
  role       = "eks-node"
  policy_arn = "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"
}

resource "aws_eks_cluster" "a" {
  name     = "prod"
  role_arn = aws_iam_role.a.arn
  vpc_config {
    subnet_ids = ["subnet-0123456789abcdef0"]
  }
}

resource "aws_eks_cluster" "b" {
  name     = "prod"
  role_arn = aws_iam_role.b.arn
  vpc_config {
    subnet_ids = ["subnet-0123456789abcdef0"]
  }
}

resource "aws_eks_addon" "by_name" {
  cluster_name = aws_eks_cluster.a.name
  addon_name   = "vpc-cni"
}

resource "aws_eks_addon" "by_id" {
  cluster_name = aws_eks_cluster.b.id
  addon_name   = "vpc-cni"
}
` + split.String(),
	})
	g := loadClean(t, dir)
	want := map[string]string{
		"by_bucket": "aws_s3_bucket.a",
		"by_id":     "aws_s3_bucket.b",
		"literal":   "aws_s3_bucket.a aws_s3_bucket.b",
		// The reference to a stays (the attribute mentions it); the
		// name written is another bucket's, which the value reaches.
		"derived": "aws_s3_bucket.a aws_s3_bucket.logs",
		// A data source reads an existing bucket, which may be the one
		// managed under that name.
		"via_data": "aws_s3_bucket.shared data.aws_s3_bucket.existing",
	}
	for _, typ := range s3SplitTypes {
		for name, w := range want {
			rs := g.ByAddress(typ + "." + name)
			if len(rs) != 1 {
				t.Fatalf("%s.%s: %d resources", typ, name, len(rs))
			}
			if got := bucketsOf(g, rs[0]); got != w {
				t.Errorf("%s.%s links to %q, want %q", typ, name, got, w)
			}
		}
	}
	targets := func(addr, attr, typ string) string {
		rs := g.ByAddress(addr)
		if len(rs) != 1 {
			t.Fatalf("%s: %d resources", addr, len(rs))
		}
		var out []string
		for _, r := range g.Targets(rs[0], attr, typ) {
			out = append(out, r.Address)
		}
		sort.Strings(out)
		return strings.Join(out, " ")
	}
	for _, tc := range []struct{ addr, attr, typ, want string }{
		{"aws_iam_role_policy_attachment.by_name", "role", "aws_iam_role", "aws_iam_role.a"},
		{"aws_iam_role_policy_attachment.by_id", "role", "aws_iam_role", "aws_iam_role.b"},
		{"aws_iam_role_policy_attachment.literal", "role", "aws_iam_role", "aws_iam_role.a aws_iam_role.b"},
		{"aws_eks_addon.by_name", "cluster_name", "aws_eks_cluster", "aws_eks_cluster.a"},
		{"aws_eks_addon.by_id", "cluster_name", "aws_eks_cluster", "aws_eks_cluster.b"},
	} {
		if got := targets(tc.addr, tc.attr, tc.typ); got != tc.want {
			t.Errorf("%s links at %s to %q, want %q", tc.addr, tc.attr, got, tc.want)
		}
	}
}
