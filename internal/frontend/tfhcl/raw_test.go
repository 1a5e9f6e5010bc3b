package tfhcl

import (
	"reflect"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/jsonpos"
	"github.com/eksguard/eksguard/internal/testutil"
)

// The expected documents are what conftest (hcl2json v0.6.9, then
// encoding/json) produces for the same source.
func TestRawFileMatchesConftest(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{
			name: "resource with nested and dynamic blocks",
			src: `resource "aws_eks_cluster" "main" {
  name     = "prod"
  role_arn = aws_iam_role.cluster.arn

  vpc_config {
    subnet_ids             = ["subnet-a", "subnet-b"]
    endpoint_public_access = false
  }

  encryption_config {
    provider {
      key_arn = aws_kms_key.eks.arn
    }
    resources = ["secrets"]
  }

  dynamic "access_entry" {
    for_each = var.admins
    content {
      principal_arn = access_entry.value
    }
  }
}
`,
			want: `{
				"resource": {
					"aws_eks_cluster": {
						"main": [
							{
								"dynamic": {
									"access_entry": [
										{
											"content": [{"principal_arn": "${access_entry.value}"}],
											"for_each": "${var.admins}"
										}
									]
								},
								"encryption_config": [
									{
										"provider": [{"key_arn": "${aws_kms_key.eks.arn}"}],
										"resources": ["secrets"]
									}
								],
								"name": "prod",
								"role_arn": "${aws_iam_role.cluster.arn}",
								"vpc_config": [
									{
										"endpoint_public_access": false,
										"subnet_ids": ["subnet-a", "subnet-b"]
									}
								]
							}
						]
					}
				}
			}`,
		},
		{
			name: "repeated blocks and locals merge into arrays",
			src: `resource "aws_security_group" "nodes" {
  ingress {
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["10.0.0.0/8"]
  }
  ingress {
    from_port = 22
    to_port   = 22
  }
}

resource "aws_security_group" "extra" {}

resource "aws_iam_role" "node" {
  name = "node"
}

locals {
  a = 1
}

locals {
  b = 2
}
`,
			want: `{
				"locals": [{"a": 1}, {"b": 2}],
				"resource": {
					"aws_iam_role": {"node": [{"name": "node"}]},
					"aws_security_group": {
						"extra": [{}],
						"nodes": [
							{
								"ingress": [
									{"cidr_blocks": ["10.0.0.0/8"], "from_port": 443, "to_port": 443},
									{"from_port": 22, "to_port": 22}
								]
							}
						]
					}
				}
			}`,
		},
		{
			name: "terraform provider variable output module",
			src: `terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
  backend "s3" {
    bucket = "tf-state"
  }
}

provider "aws" {
  region = var.region
}

provider "aws" {
  alias  = "use1"
  region = "us-east-1"
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "subnets" {
  type    = list(object({ id = string }))
  default = []
}

variable "unset" {}

output "endpoint" {
  value     = aws_eks_cluster.main.endpoint
  sensitive = true
}

module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "20.8.4"
  providers = {
    aws = aws.use1
  }
  cluster_endpoint_public_access = true
}
`,
			want: `{
				"module": {
					"eks": [
						{
							"cluster_endpoint_public_access": true,
							"providers": {"aws": "${aws.use1}"},
							"source": "terraform-aws-modules/eks/aws",
							"version": "20.8.4"
						}
					]
				},
				"output": {"endpoint": [{"sensitive": true, "value": "${aws_eks_cluster.main.endpoint}"}]},
				"provider": {"aws": [{"region": "${var.region}"}, {"alias": "use1", "region": "us-east-1"}]},
				"terraform": [
					{
						"backend": {"s3": [{"bucket": "tf-state"}]},
						"required_providers": [{"aws": {"source": "hashicorp/aws", "version": "~> 5.0"}}],
						"required_version": ">= 1.5"
					}
				],
				"variable": {
					"region": [{"default": "eu-west-1", "type": "${string}"}],
					"subnets": [{"default": [], "type": "${list(object({ id = string }))}"}],
					"unset": [{}]
				}
			}`,
		},
		{
			name: "data source",
			src: `data "aws_iam_policy_document" "assume" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["eks.amazonaws.com"]
    }
  }
}
`,
			want: `{
				"data": {
					"aws_iam_policy_document": {
						"assume": [
							{
								"statement": [
									{
										"actions": ["sts:AssumeRole"],
										"effect": "Allow",
										"principals": [{"identifiers": ["eks.amazonaws.com"], "type": "Service"}]
									}
								]
							}
						]
					}
				}
			}`,
		},
		{
			name: "references calls conditionals for-expressions operators",
			src: `locals {
  ref       = var.cluster_name
  attr      = aws_eks_cluster.main.identity[0].oidc[0].issuer
  splat     = aws_subnet.private[*].id
  call      = merge(var.tags, { Name = "x" })
  multiline = concat(
    ["a"],
    ["b"],
  )
  cond      = var.env == "prod" ? 3 : 1
  list_for  = [for s in var.subnets : s.id if s.public]
  map_for   = { for k, v in var.m : k => upper(v) }
  arith     = var.n * 2 + 1
  paren     = (1 + 2)
  neg       = -5
  neg_ref   = -var.n
  not       = !true
  not_ref   = !var.on
  type_expr = map(string)
}
`,
			want: `{
				"locals": [
					{
						"arith": "${var.n * 2 + 1}",
						"attr": "${aws_eks_cluster.main.identity[0].oidc[0].issuer}",
						"call": "${merge(var.tags, { Name = \"x\" })}",
						"cond": "${var.env == \"prod\" ? 3 : 1}",
						"list_for": "${[for s in var.subnets : s.id if s.public]}",
						"map_for": "${{ for k, v in var.m : k => upper(v) }}",
						"multiline": "${concat(\n    [\"a\"],\n    [\"b\"],\n  )}",
						"neg": -5,
						"neg_ref": "${-var.n}",
						"not": false,
						"not_ref": "${!var.on}",
						"paren": "${(1 + 2)}",
						"ref": "${var.cluster_name}",
						"splat": "${aws_subnet.private[*].id}",
						"type_expr": "${map(string)}"
					}
				]
			}`,
		},
		{
			name: "strings templates directives heredocs",
			src: `locals {
  plain     = "eks-cluster"
  escapes   = "tab\tquote\"backslash\\"
  interp    = "arn:aws:iam::${var.account}:role/${local.name}"
  only      = "${var.name}"
  only_num  = "${1}"
  only_str  = "${"hi"}"
  nested    = "${"x-${var.y}"}!"
  cond_tpl  = "node-${var.spot ? "spot" : "od"}"
  if_tpl    = "%{if var.on}on%{else}off%{endif}"
  if_noelse = "%{ if var.on }on%{ endif }"
  for_tpl   = "%{for k, v in var.m}${k}=${v};%{endfor}"
  literal   = "$${not_interp} %%{not_directive}"
  empty     = ""
  heredoc   = <<EOT
  first ${var.x}
  second
EOT
  indented  = <<-EOT
    apiVersion: v1
      kind: ConfigMap
    name: ${var.name}
  EOT
}
`,
			want: `{
				"locals": [
					{
						"cond_tpl": "node-%{if var.spot}spot%{else}od%{endif}",
						"empty": "",
						"escapes": "tab\tquote\"backslash\\",
						"for_tpl": "%{for k, v in var.m}${k}=${v};%{endfor}",
						"heredoc": "  first ${var.x}\n  second\n",
						"if_noelse": "%{if var.on}on%{endif}",
						"if_tpl": "%{if var.on}on%{else}off%{endif}",
						"indented": "apiVersion: v1\n  kind: ConfigMap\nname: ${var.name}\n",
						"interp": "arn:aws:iam::${var.account}:role/${local.name}",
						"literal": "$${not_interp} %%{not_directive}",
						"nested": "x-${var.y}!",
						"only": "${var.name}",
						"only_num": 1,
						"only_str": "hi",
						"plain": "eks-cluster"
					}
				]
			}`,
		},
		{
			name: "numbers and literals",
			src: `locals {
  int      = 42
  zero     = 0
  float    = 3.25
  exp      = 1e3
  negexp   = -2.5e-3
  big      = 123456789012345678901234567890
  list     = [1, 2.5, -3]
  mixed    = [1, "two", true, null, [], {}]
}
`,
			want: `{
				"locals": [
					{
						"big": 1.2345678901234568e+29,
						"exp": 1000,
						"float": 3.25,
						"int": 42,
						"list": [1, 2.5, -3],
						"mixed": [1, "two", true, null, [], {}],
						"negexp": -0.0025,
						"zero": 0
					}
				]
			}`,
		},
		{
			name: "object keys",
			src: `locals {
  tags = {
    Name                = "eks"
    "kubernetes.io/role" = "owned"
    a.b                 = 1
    3                   = "three"
    (var.k)             = "paren"
    "${var.k}-suffix"   = "tpl"
    true                = "bool key"
    null                = "null key"
    dup                 = 1
    dup                 = 2
  }
  nested = { a = { b = [{ c = 1 }] } }
}
`,
			want: `{
				"locals": [
					{
						"nested": {"a": {"b": [{"c": 1}]}},
						"tags": {
							"${(var.k)}": "paren",
							"${var.k}-suffix": "tpl",
							"3": "three",
							"Name": "eks",
							"a.b": 1,
							"dup": 2,
							"kubernetes.io/role": "owned",
							"null": "null key",
							"true": "bool key"
						}
					}
				]
			}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, diags := RawFile([]byte(tt.src), "main.tf")
			if len(diags) > 0 {
				t.Fatal(diags)
			}
			testutil.SameJSON(t, v.Interface(), tt.want)
		})
	}
}

func TestRawFileRanges(t *testing.T) {
	const src = `resource "aws_eks_cluster" "main" {
  name = "prod"

  vpc_config {
    subnet_ids = [
      "subnet-a",
      aws_subnet.b.id,
    ]
    endpoint_public_access = true
  }

  tags = {
    Team = "platform"
  }
}

resource "aws_eks_cluster" "other" {
  name = "other"
}

locals {
  policy = <<-EOT
    {}
  EOT
}
`
	v, diags := RawFile([]byte(src), "eks.tf")
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	tests := []struct {
		path                  string
		line, column, endLine int32
	}{
		{"", 1, 1, 25},
		// The objects the labels make take the first block's place.
		{"resource", 1, 1, 15},
		{"resource.aws_eks_cluster", 1, 1, 15},
		{"resource.aws_eks_cluster.main", 1, 1, 15},
		{"resource.aws_eks_cluster.main.0", 1, 1, 15},
		{"resource.aws_eks_cluster.main.0.name", 2, 3, 2},
		{"resource.aws_eks_cluster.main.0.vpc_config.0", 4, 3, 10},
		{"resource.aws_eks_cluster.main.0.vpc_config.0.subnet_ids", 5, 5, 8},
		{"resource.aws_eks_cluster.main.0.vpc_config.0.subnet_ids.0", 6, 7, 6},
		{"resource.aws_eks_cluster.main.0.vpc_config.0.subnet_ids.1", 7, 7, 7},
		{"resource.aws_eks_cluster.main.0.vpc_config.0.endpoint_public_access", 9, 5, 9},
		{"resource.aws_eks_cluster.main.0.tags", 12, 3, 14},
		{"resource.aws_eks_cluster.main.0.tags.Team", 13, 5, 13},
		{"resource.aws_eks_cluster.other.0", 17, 1, 19},
		{"resource.aws_eks_cluster.other.0.name", 18, 3, 18},
		{"locals.0", 21, 1, 25},
		{"locals.0.policy", 22, 3, 24},
	}
	for _, tt := range tests {
		got := v.GetPath(tt.path)
		if got == nil {
			t.Errorf("%s: absent", tt.path)
			continue
		}
		want := graph.Range{File: "eks.tf", Line: tt.line, Column: tt.column, EndLine: tt.endLine}
		if got.Range != want {
			t.Errorf("%s: range %+v, want %+v", tt.path, got.Range, want)
		}
	}
	walk(v, "", func(path string, n *graph.Value) {
		if n.Range.File != "eks.tf" || n.Range.Line < 1 || n.Range.Column < 1 {
			t.Errorf("%s: no position: %+v", path, n.Range)
		}
	})
}

func walk(v *graph.Value, path string, f func(string, *graph.Value)) {
	f(path, v)
	for i, e := range v.List {
		walk(e, path+"."+itoa(int64(i)), f)
	}
	for k, e := range v.Map.All() {
		walk(e, path+"."+k, f)
	}
}

// Conftest reads a .tf.json file with its JSON parser, so the document is
// the JSON itself, not blocks rebuilt from it.
func TestRawFileJSON(t *testing.T) {
	src := []byte(`{
  "resource": {
    "aws_s3_bucket": {
      "logs": {"acl": "private"}
    }
  }
}`)
	v, diags := RawFile(src, "main.tf.json")
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	want, err := jsonpos.Parse(src, "main.tf.json")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(v, want) {
		t.Errorf("got %v, want jsonpos.Parse's %v", v, want)
	}
	if acl := v.GetPath("resource.aws_s3_bucket.logs.acl"); acl == nil || acl.Str != "private" || acl.Range.Line != 4 {
		t.Errorf("acl: %+v", acl)
	}

	v, diags = RawFile([]byte("{\n  \"a\": 1,\n  \"b\": \n}"), "bad.tf.json")
	if v != nil || len(diags) != 1 || diags[0].Severity != diag.Error || diags[0].File != "bad.tf.json" || diags[0].Line != 4 {
		t.Errorf("invalid JSON: %v, %v", v, diags)
	}
}

func TestRawFileBrokenInput(t *testing.T) {
	tests := []struct {
		name, src string
		line      int    // of the first diagnostic
		summary   string // part of it
		path      string // of a value still read, "" for none
		want      any    // its value
	}{
		{"missing value", "resource \"aws_s3_bucket\" \"b\" {\n  acl = \"private\"\n  policy = \n}\n",
			3, "Invalid expression", "resource.aws_s3_bucket.b.0.acl", "private"},
		{"unclosed block", "locals {\n  a = 1\n", 1, "Unclosed configuration block", "locals.0.a", 1.0},
		{"unterminated string", "a = 1\nb = \"x\n", 2, "multi-line string", "a", 1.0},
		{"stray braces", "a = 1\n}}}\nb = 2\n", 2, "Argument or block definition required", "a", 1.0},
		{"labels differ", "resource \"a\" \"b\" {}\nresource \"a\" {}\nx = 1\n", 2, "different numbers of labels", "x", 1.0},
		{"number out of range", "x = 1e999\ny = 2\n", 1, "number out of range", "y", 2.0},
		{"invalid operand", "x = -true\n", 1, "invalid operand", "x", "${-true}"},
		{"not UTF-8", "\x00\xff\xfe{{{", 1, "Invalid character", "", nil},
		{"too deep", "a = 1\nb = " + strings.Repeat("[", 100000), 2, "nesting too deep", "", nil},
		{"deep template conditional", "a = \"" + strings.Repeat("%{if x}", 300) + strings.Repeat("%{endif}", 300) + "\"\n",
			1, "nesting too deep", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, diags := RawFile([]byte(tt.src), "bad.tf")
			if len(diags) == 0 {
				t.Fatal("no diagnostic")
			}
			d := diags[0]
			if d.Severity != diag.Error || d.File != "bad.tf" || d.Line != tt.line || d.Column < 1 || !strings.Contains(d.Summary+d.Detail, tt.summary) {
				t.Errorf("diagnostic %v, want bad.tf:%d: %s", d, tt.line, tt.summary)
			}
			if tt.path == "" {
				return
			}
			if got := v.GetPath(tt.path); got == nil || !reflect.DeepEqual(got.Interface(), tt.want) {
				t.Errorf("%s: %v, want %v", tt.path, got, tt.want)
			}
		})
	}
}
