package tfhcl

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// checkRebased: the rebased copy of src's parse at one path is exactly the
// parse at another path, and shares no node with the parse it was copied
// from.
func checkRebased(t *testing.T, name string, src []byte) {
	t.Helper()
	from, to := "a/.terraform/modules/m/"+filepath.Base(name), "b/.terraform/modules/m/"+filepath.Base(name)
	orig := parseFile(from, src, false)
	want := parseFile(to, src, false)
	got := rebased(orig, from, to)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: the rebased parse differs from the parse at %s", name, to)
		return
	}
	if got.body == nil {
		return
	}
	// Shares nothing the evaluator could tell apart: no node of the copy
	// is a node of the original.
	mine := map[uintptr]bool{}
	nodes(reflect.ValueOf(orig.body), mine)
	theirs := map[uintptr]bool{}
	nodes(reflect.ValueOf(got.body), theirs)
	for p := range theirs {
		if mine[p] {
			t.Errorf("%s: the copy shares a node with the original", name)
			return
		}
	}
}

// nodes collects the addresses of the syntax tree's nodes below v.
func nodes(v reflect.Value, into map[uintptr]bool) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || !owned(v.Type().Elem()) || into[v.Pointer()] {
			return
		}
		into[v.Pointer()] = true
		nodes(v.Elem(), into)
	case reflect.Interface:
		if !v.IsNil() {
			nodes(v.Elem(), into)
		}
	case reflect.Slice:
		if owned(v.Type().Elem()) {
			for i := range v.Len() {
				nodes(v.Index(i), into)
			}
		}
	case reflect.Map:
		if owned(v.Type().Elem()) {
			for it := v.MapRange(); it.Next(); {
				nodes(it.Value(), into)
			}
		}
	case reflect.Struct:
		if owned(v.Type()) {
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					nodes(v.Field(i), into)
				}
			}
		}
	}
}

func TestRebasedEqualsParse(t *testing.T) {
	corners := map[string]string{
		"splat.tf":    "locals {\n  a = aws_instance.x[*].id\n  b = [for k, v in var.m : v.name if k != \"\"]\n  c = { for s in var.l : s.id => s... }\n  d = var.o.*.z\n}\n",
		"template.tf": "locals {\n  t = <<-EOT\n    %{ for x in var.xs }${x}%{ endfor }\n  EOT\n  u = \"pre-${upper(var.s)}-post\"\n}\n",
		"broken.tf":   "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \n}\n",
		"nested.tf":   "module \"m\" {\n  source = \"./m\"\n  x = var.a ? (1 + 2) * -3 : try(local.b[\"k\"], null)\n  dynamic \"d\" {\n    for_each = var.s\n    content { v = d.value }\n  }\n}\n",
	}
	for name, src := range corners {
		checkRebased(t, name, []byte(src))
	}
	n := 0
	walk := func(root string) {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".tf") {
				return nil
			}
			if b, err := os.ReadFile(p); err == nil {
				n++
				checkRebased(t, p, b)
			}
			return nil
		})
	}
	walk("../../../testdata")
	walk("../../../examples")
	walk("testdata")
	walk("../../builtin/testdata")
	if root := os.Getenv("EKSGUARD_REAL_CONFIGS"); root != "" {
		walk(root)
	}
	if n < 50 {
		t.Fatalf("only %d .tf files checked", n)
	}
	t.Logf("%d files", n)
}

// TestInstalledModulesParsedOnce: a module installed twice for a root
// module is parsed once, and each root's graph and diagnostics, every
// position included, are those of reading its files afresh.
func TestInstalledModulesParsedOnce(t *testing.T) {
	mod := "variable \"name\" {}\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = var.name\n  tags   = { for k in [\"a\", \"b\"] : k => upper(k) }\n}\n"
	files := map[string]string{}
	for _, root := range []string{"one", "two"} {
		files[root+"/main.tf"] = "module \"a\" {\n  source = \"app.terraform.io/x/store/aws\"\n  name   = \"" + root + "-a\"\n}\n" +
			"module \"b\" {\n  source = \"app.terraform.io/x/store/aws\"\n  name   = \"" + root + "-b\"\n}\n"
		files[root+"/.terraform/modules/modules.json"] = `{"Modules":[{"Key":"","Source":"","Dir":"."},` +
			`{"Key":"a","Source":"app.terraform.io/x/store/aws","Dir":".terraform/modules/a"},` +
			`{"Key":"b","Source":"app.terraform.io/x/store/aws","Dir":".terraform/modules/b"}]}`
		for _, m := range []string{"a", "b"} {
			files[root+"/.terraform/modules/"+m+"/main.tf"] = mod
			files[root+"/.terraform/modules/"+m+"/broken.tf"] = "locals {\n  x = \n}\n"
		}
		files[root+"/terraform.tfvars"] = ""
	}
	dir := writeTree(t, files)
	one, two := filepath.Join(dir, "one"), filepath.Join(dir, "two")
	wantOne, wantTwo := loaded(t, one, nil), loaded(t, two, nil)
	for _, want := range []string{"one/.terraform/modules/a/main.tf\"", "one/.terraform/modules/b/main.tf\"", "two/.terraform/modules/b/broken.tf:2", `"two-b"`} {
		if !strings.Contains(wantOne+wantTwo, want) {
			t.Fatalf("the layout does not exercise %s:\n%s\n%s", want, wantOne, wantTwo)
		}
	}
	c := NewCache(false)
	if got := loaded(t, one, c); got != wantOne {
		t.Errorf("first root with the cache:\n%s\nwant\n%s", got, wantOne)
	}
	if got := loaded(t, two, c); got != wantTwo {
		t.Errorf("second root with the cache:\n%s\nwant\n%s", got, wantTwo)
	}
	// Each root parses its main.tf, and main.tf and broken.tf once for
	// both of its installed copies.
	if c.parsed != 6 {
		t.Errorf("%d files parsed, want 6", c.parsed)
	}
	if len(c.installed) != 0 {
		t.Errorf("%d installed files kept after the root modules were read", len(c.installed))
	}
}
