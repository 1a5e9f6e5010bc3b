package tfhcl

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/eksguard/eksguard/internal/graph"
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

func benchRepo(b *testing.B, teams int) {
	dir := writeRepo(b, 500, teams)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		g := graph.New()
		if d := LoadDir(g, dir, Options{}); len(d) != 0 {
			b.Fatal(d)
		}
		if g.Len() != teams*498*2 {
			b.Fatalf("%d resources", g.Len())
		}
	}
}
