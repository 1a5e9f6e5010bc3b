package tfhcl

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/testutil/fuzzing"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/graph"
)

// addTestdata seeds f with every configuration file under testdata.
func addTestdata(f *testing.F, add func([]byte, string)) {
	filepath.WalkDir("testdata", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".tf") || strings.HasSuffix(p, ".tf.json") || strings.HasSuffix(p, ".tfvars")) {
			if b, err := os.ReadFile(p); err == nil {
				add(b, p)
			}
		}
		return nil
	})
}

// hostileHCL are shapes that have hurt HCL readers: deep nesting of every
// bracket kind, huge literals and counts, templates, BOM and NUL bytes.
var hostileHCL = []string{
	`resource "a" "b" { count = 1e9 }`,
	`locals { x = [for i in range(100000): i] }`,
	"locals {\n  a = " + strings.Repeat("[", 300) + strings.Repeat("]", 300) + "\n}\n",
	"locals {\n  a = " + strings.Repeat("{a = ", 300) + "1" + strings.Repeat("}", 300) + "\n}\n",
	"locals {\n  a = \"" + strings.Repeat("${\"", 300) + strings.Repeat("\"}", 300) + "\"\n}\n",
	strings.Repeat("a {\n", 300) + strings.Repeat("}\n", 300),
	"locals {\n  a = \"" + strings.Repeat("x", 64<<10) + "\"\n}\n",
	"\ufeffresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n}\n",
	"resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\x00\"\n}\n",
	"locals {\n  a = local.b\n  b = local.a\n}\n",
	"module \"m\" {\n  source = \"./\"\n}\n",
	"module \"m\" {\n  source = \"../..\"\n}\n",
	"variable \"v\" {\n  default = {}\n  validation {\n    condition = var.v\n  }\n}\nresource \"a\" \"b\" {\n  for_each = var.v\n  x = each.value\n}\n",
	"resource \"a\" \"b\" {\n  dynamic \"d\" {\n    for_each = [1]\n    content {\n      dynamic \"d\" {\n        for_each = d.value\n      }\n    }\n  }\n}\n",
	"locals {\n  a = <<-EOT\n  %{for x in [1]}${x}%{endfor}\n  EOT\n}\n",
	"locals {\n  a = templatefile(\"/etc/passwd\", {})\n  b = file(\"../../../../etc/hostname\")\n}\n",
	`{"resource": {"a": {"b": {"count": 1e400}}}}`,
	// Chains past hclguard.MaxChain (10,000): refused before the parser
	// recurses once per link.
	"locals {\n  a = " + strings.Repeat("!", 30000) + "true\n}\n",
	"locals {\n  a = " + strings.Repeat("-", 30000) + "1\n}\n",
	"locals {\n  a = [1]" + strings.Repeat("[*]", 10000) + "\n}\n",
	"locals {\n  a = " + strings.Repeat("true ? 1 : ", 10001) + "0\n}\n",
	"resource \"a\" \"b\" {\n  x = " + strings.Repeat("1 + ", 10001) + "1\n}\n",
	"resource \"a\" \"b\" {\n  x = \"" + strings.Repeat("%{if true}", 6000) + strings.Repeat("%{endif}", 6000) + "\"\n}\n",
	`{"locals": {"a": "${` + strings.Repeat("!", 30000) + `true}"}}`,
	`{"variable": {"v": {"type": "` + strings.Repeat("list(", 300) + `"}}}`,
}

// FuzzLoadDir: a root module of one arbitrary file, main.tf or
// main.tf.json. No panic; evaluation ends within bounds; every diagnostic
// names a file, and a line of main.tf when it is about main.tf; every
// resource and positioned value in main.tf is on one of its lines.
func FuzzLoadDir(f *testing.F) {
	addTestdata(f, func(b []byte, p string) { f.Add(b, strings.HasSuffix(p, ".json")) })
	for _, s := range hostileHCL {
		f.Add([]byte(s), strings.HasPrefix(s, "{"))
	}
	f.Fuzz(func(t *testing.T, src []byte, asJSON bool) {
		dir := t.TempDir()
		name := "main.tf"
		if asJSON {
			name = "main.tf.json"
		}
		main := filepath.Join(dir, name)
		if err := os.WriteFile(main, src, 0o644); err != nil {
			t.Fatal(err)
		}
		defer fuzzing.Watchdog("LoadDir", len(src))()
		g := graph.New()
		diags := LoadDir(g, dir, Options{Root: dir})
		lines := bytes.Count(src, []byte{'\n'}) + 1
		for _, d := range diags {
			if d.File == "" || (d.File == main && d.Line > lines) || d.Line < 0 {
				t.Fatalf("diagnostic not in the input (%d lines): %s", lines, d)
			}
		}
		for _, r := range g.Resources() {
			if r.Range.File == main && (r.Range.Line < 1 || int(r.Range.Line) > lines) {
				t.Fatalf("%s at %+v, outside the input (%d lines)", r.Address, r.Range, lines)
			}
			checkRanges(t, r.Address, r.Attrs, main, lines, 0)
			if b, _ := r.Attrs.MarshalJSON(); !json.Valid(b) {
				t.Fatalf("%s: the graph's JSON form is not JSON: %.200s", r.Address, b)
			}
		}
	})
}

func checkRanges(t *testing.T, path string, v *graph.Value, file string, lines, depth int) {
	if v == nil || depth > 4*rawMaxDepth {
		return
	}
	if v.Range.File == file && int(v.Range.Line) > lines {
		t.Fatalf("%s at %+v, outside the input (%d lines)", path, v.Range, lines)
	}
	for i, e := range v.List {
		checkRanges(t, fmt.Sprintf("%s[%d]", path, i), e, file, lines, depth+1)
	}
	for k, e := range v.Map.All() {
		checkRanges(t, path+"."+k, e, file, lines, depth+1)
	}
}

// FuzzRawFile: the conftest shape of one arbitrary .tf (or .tf.json)
// file. No panic; it ends within bounds; diagnostics name the file and a
// line of it; every value is positioned on a line of the file and nests
// no deeper than the bound the reader promises.
func FuzzRawFile(f *testing.F) {
	for _, s := range []string{
		"resource \"a\" \"b\" {\n  x = [1, \"${var.y}\", { k = f(2) }]\n  blk {\n    z = <<-EOT\n    t %{if c}y%{endif}\n    EOT\n  }\n}\n",
		"locals {\n  a = 1\n", "a = -true\n", "x = { (k) = 1, a.b = 2, 3 = 4 }", "\x00\xff",
	} {
		f.Add([]byte(s), false)
	}
	addTestdata(f, func(b []byte, p string) { f.Add(b, strings.HasSuffix(p, ".json")) })
	for _, s := range hostileHCL {
		f.Add([]byte(s), strings.HasPrefix(s, "{"))
	}
	f.Fuzz(func(t *testing.T, src []byte, asJSON bool) {
		name := "f.tf"
		if asJSON {
			name = "f.tf.json"
		}
		defer fuzzing.Watchdog("RawFile", len(src))()
		v, diags := RawFile(src, name)
		lines := bytes.Count(src, []byte{'\n'}) + 1
		checkDiags(t, diags, name, lines)
		if v == nil {
			return
		}
		var walk func(path string, n *graph.Value, depth int)
		walk = func(path string, n *graph.Value, depth int) {
			if depth > 2*rawMaxDepth+2 {
				t.Fatalf("%s: nests deeper than %d", path, rawMaxDepth)
			}
			if n.Range.File != name || n.Range.Line < 1 || int(n.Range.Line) > lines || int(n.Range.EndLine) > lines {
				t.Fatalf("%s: position %+v outside the input (%d lines)", path, n.Range, lines)
			}
			for i, e := range n.List {
				walk(fmt.Sprintf("%s[%d]", path, i), e, depth+1)
			}
			for k, e := range n.Map.All() {
				walk(path+"."+k, e, depth+1)
			}
		}
		walk("", v, 0)
	})
}

func checkDiags(t *testing.T, diags diag.List, file string, lines int) {
	t.Helper()
	for _, d := range diags {
		if d.File != file || d.Line < 0 || d.Line > lines {
			t.Fatalf("diagnostic not in the input (%d lines): %s", lines, d)
		}
	}
}
