package tfhcl

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/testutil"
)

// writeRepo lays out a repository of n .tf files: a root that calls a local
// "team" module once per team with for_each, and the module's files, each
// holding a few resources with expressions, locals and a dynamic block.
func writeRepo(tb testing.TB, n, teams int) string {
	tb.Helper()
	dir := tb.TempDir()
	mod := filepath.Join(dir, "modules", "team")
	os.MkdirAll(mod, 0o755)
	root := "locals {\n  teams = toset(["
	for i := 0; i < teams; i++ {
		root += fmt.Sprintf("%q,", fmt.Sprintf("t%02d", i))
	}
	root += "])\n}\nmodule \"team\" {\n  source   = \"./modules/team\"\n  for_each = local.teams\n  name     = each.key\n}\n"
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(root), 0o644)
	os.WriteFile(filepath.Join(mod, "variables.tf"), []byte("variable \"name\" {}\n"), 0o644)
	for i := 0; i < n-2; i++ {
		src := fmt.Sprintf(`locals {
  prefix_%[1]d = "${var.name}-%[1]d"
}

resource "aws_launch_template" "lt_%[1]d" {
  name = local.prefix_%[1]d
  metadata_options {
    http_tokens                 = %[1]d %% 2 == 0 ? "required" : "optional"
    http_put_response_hop_limit = 1
  }
  dynamic "block_device_mappings" {
    for_each = ["/dev/xvda", "/dev/xvdb"]
    content {
      device_name = block_device_mappings.value
      ebs {
        encrypted  = true
        kms_key_id = aws_kms_key.k_%[1]d.arn
      }
    }
  }
}

resource "aws_kms_key" "k_%[1]d" {
  description         = upper(local.prefix_%[1]d)
  enable_key_rotation = true
}
`, i)
		os.WriteFile(filepath.Join(mod, fmt.Sprintf("f%03d.tf", i)), []byte(src), 0o644)
	}
	return dir
}

// BenchmarkLoad500Files loads a 500-file repository whose module is called
// 20 times: 20 x 498 x 2 resources.
func BenchmarkLoad500Files(b *testing.B) { benchRepo(b, 20) }

// BenchmarkLoad500FilesTwoTeams is the same repository with the module
// called twice (1,992 resources), closer to a single platform repository.
func BenchmarkLoad500FilesTwoTeams(b *testing.B) { benchRepo(b, 2) }

func benchRepo(b *testing.B, teams int) { benchLoad(b, writeRepo(b, 500, teams), teams*498*2) }

// benchLoad loads dir b.N times and checks it gives resources resources.
func benchLoad(b *testing.B, dir string, resources int) {
	b.ReportAllocs()
	b.ResetTimer()
	defer testutil.ReportCPU(b)()
	for i := 0; i < b.N; i++ {
		g := graph.New()
		if d := LoadDir(g, dir, Options{}); len(d) != 0 {
			b.Fatal(d)
		}
		if g.Len() != resources {
			b.Fatalf("%d resources", g.Len())
		}
	}
}

// writeTypedRepo lays out a 500-file repository in the registry modules'
// style: the root passes a map of objects to a module with for_each; the
// module's variable is a map(object) with nested optional() defaults, its
// files read those defaults, build IAM documents with dynamic statements
// and derive role ARNs.
func writeTypedRepo(tb testing.TB, n, teams int) string {
	tb.Helper()
	dir := tb.TempDir()
	mod := filepath.Join(dir, "modules", "team")
	os.MkdirAll(mod, 0o755)
	root := "module \"team\" {\n  source   = \"./modules/team\"\n  for_each = {\n"
	for i := 0; i < teams; i++ {
		root += fmt.Sprintf("    t%02d = { nodes = { general = {}, gpu = { tokens = \"optional\" } } }\n", i)
	}
	root += "  }\n  name   = each.key\n  config = each.value\n}\n"
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(root), 0o644)
	os.WriteFile(filepath.Join(mod, "variables.tf"), []byte(`variable "name" {
  type = string
}

variable "config" {
  type = object({
    encrypt = optional(bool, true)
    nodes = optional(map(object({
      tokens = optional(string, "required")
      hops   = optional(number, 1)
      sizes  = optional(list(number), [50, 100])
    })), {})
  })
  default = {}
}
`), 0o644)
	for i := 0; i < n-2; i++ {
		src := fmt.Sprintf(`locals {
  prefix_%[1]d = "${var.name}-%[1]d"
}

resource "aws_launch_template" "lt_%[1]d" {
  for_each = var.config.nodes
  name     = "${local.prefix_%[1]d}-${each.key}"
  metadata_options {
    http_tokens                 = each.value.tokens
    http_put_response_hop_limit = each.value.hops
  }
  dynamic "block_device_mappings" {
    for_each = each.value.sizes
    content {
      device_name = "/dev/xvd${block_device_mappings.key}"
      ebs {
        volume_size = block_device_mappings.value
        encrypted   = var.config.encrypt
      }
    }
  }
}

data "aws_iam_policy_document" "assume_%[1]d" {
  dynamic "statement" {
    for_each = { ec2 = "ec2.amazonaws.com" }
    content {
      actions = ["sts:AssumeRole"]
      principals {
        type        = "Service"
        identifiers = [statement.value]
      }
    }
  }
}

resource "aws_iam_role" "r_%[1]d" {
  count              = var.config.encrypt ? 1 : 0
  name               = local.prefix_%[1]d
  assume_role_policy = data.aws_iam_policy_document.assume_%[1]d.json
}

resource "aws_iam_role_policy_attachment" "a_%[1]d" {
  role       = aws_iam_role.r_%[1]d[0].name
  policy_arn = "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"
}
`, i)
		os.WriteFile(filepath.Join(mod, fmt.Sprintf("f%03d.tf", i)), []byte(src), 0o644)
	}
	return dir
}

// BenchmarkLoad500FilesTyped loads the typed repository with its module
// called twice and twenty times: 498 files x (2 launch templates, a policy
// document, a role, an attachment) per team.
func BenchmarkLoad500FilesTyped(b *testing.B) {
	for _, teams := range []int{2, 20} {
		b.Run(fmt.Sprintf("teams=%d", teams), func(b *testing.B) {
			benchLoad(b, writeTypedRepo(b, 500, teams), teams*498*5)
		})
	}
}
