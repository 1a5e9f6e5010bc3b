package tfhcl

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/frontend/tfhcl/hclguard"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// The hostile inputs below overflow the goroutine stack inside hclsyntax
// when they reach it: a fatal error no recover catches, which would kill
// the test binary, so each is read in a child process (this test binary
// run again with hostileDirEnv naming the directory).
const (
	hostileDirEnv  = "EKSGUARD_TEST_HOSTILE_DIR"
	hostileModeEnv = "EKSGUARD_TEST_HOSTILE_MODE"
)

// otherFile is the file read beside each hostile one: it must still load.
const otherFile = "resource \"aws_kms_key\" \"other\" {\n  enable_key_rotation = true\n}\n"

// hostileChild loads dir as a root module and reads each configuration
// file of it as conftest does, printing the diagnostics, then the
// resources and the bucket of each aws_s3_bucket. With mode "unguarded"
// it hands the files straight to hclsyntax instead.
func hostileChild(t *testing.T, dir, mode string) {
	if mode == "unguarded" {
		unguarded(t, dir)
		return
	}
	g := graph.New()
	for _, d := range LoadDir(g, dir, Options{Root: dir}) {
		fmt.Println("diag", d)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tf") || strings.HasSuffix(e.Name(), ".tf.json") {
			src, _ := os.ReadFile(filepath.Join(dir, e.Name()))
			_, diags := RawFile(src, e.Name())
			for _, d := range diags {
				fmt.Println("raw", d)
			}
		}
	}
	var addrs []string
	for _, r := range g.Resources() {
		addrs = append(addrs, r.Address)
		if r.Type == "aws_s3_bucket" {
			fmt.Printf("bucket %s %s\n", r.Address, r.Get("bucket").String())
		}
	}
	sort.Strings(addrs)
	fmt.Println("resources", strings.Join(addrs, " "))
}

// unguarded reads every file of dir as the loader would without the guard:
// .tf and .tfvars files parsed, each attribute walked for its references
// and evaluated; templates and .tf.json strings parsed as templates and
// evaluated.
func unguarded(t *testing.T, dir string) {
	expr := func(e hclsyntax.Expression) {
		e.Variables()
		e.Value(&hcl.EvalContext{})
	}
	var body func(b *hclsyntax.Body)
	body = func(b *hclsyntax.Body) {
		for _, a := range b.Attributes {
			expr(a.Expr)
		}
		for _, blk := range b.Blocks {
			body(blk.Body)
		}
	}
	var value func(v any)
	value = func(v any) {
		switch v := v.(type) {
		case string:
			e, _ := hclsyntax.ParseTemplate([]byte(v), "main.tf.json", hcl.InitialPos)
			expr(e)
		case map[string]any:
			for _, e := range v {
				value(e)
			}
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		src, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		switch name := e.Name(); {
		case strings.HasSuffix(name, ".tf.json"):
			var doc any
			if err := json.Unmarshal(src, &doc); err != nil {
				fmt.Println("unguarded:", err)
			}
			value(doc)
		case strings.HasSuffix(name, ".tf"), strings.HasSuffix(name, ".tfvars"):
			f, _ := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
			body(f.Body.(*hclsyntax.Body))
		case strings.HasSuffix(name, ".tpl"):
			e, _ := hclsyntax.ParseTemplate(src, name, hcl.InitialPos)
			expr(e)
		}
	}
	fmt.Println("unguarded: read")
}

// runHostile writes files into a fresh directory and reads it in a child.
func runHostile(t *testing.T, files map[string]string, mode string) (string, error) {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHostileInputsRefused$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), hostileDirEnv+"="+dir, hostileModeEnv+"="+mode)
	out, err := cmd.CombinedOutput()
	return strings.ReplaceAll(string(out), dir+string(filepath.Separator), ""), err
}

// A hostileCase is a directory whose one file passes a limit; want is the
// refusal's position and summary.
type hostileCase struct {
	name  string
	files map[string]string
	want  string
}

// hostileCases are the shapes reported to kill the process, each past
// where hclsyntax overflows the stack (measured on hcl v2.25.0 with Go's
// 1 GB stack bound): its parser recurses once per unary operator (226,000
// overflow it), per [*] splat (164,000), per conditional (600,000) and per
// template directive (423,000 ifs); evaluation once per binary operator
// (415,000 overflow it), conditional (508,000), template if (244,000) or
// for (107,000). Each is written where it is evaluated, a bucket's name.
func hostileCases() []hostileCase {
	r := strings.Repeat
	const m = hclguard.MaxChain
	bucket := func(expr string) string {
		return "resource \"aws_s3_bucket\" \"b\" {\n  bucket = " + expr + "\n}\n"
	}
	// The expression starts at line 2, column 12.
	chain := fmt.Sprintf("main.tf:2:%%d: error: expression chain too long: more than %d operators", m)
	return []hostileCase{
		{"not", map[string]string{"main.tf": bucket(r("!", 400000) + "true")}, fmt.Sprintf(chain, 12+m)},
		{"negation", map[string]string{"main.tf": bucket(r("-", 400000) + "1")}, fmt.Sprintf(chain, 12+m)},
		// The * of the last [*] is the one past the limit: the [ before it
		// stay counted, the * inside their brackets only while open.
		{"splat", map[string]string{"main.tf": bucket("[1]" + r("[*]", 200000))}, fmt.Sprintf(chain, 15+3*(m-2)+1)},
		{"conditional", map[string]string{"main.tf": bucket(r("true?1:", 650000) + "0")}, fmt.Sprintf(chain, 12+7*m+4)},
		{"binary", map[string]string{"main.tf": bucket(r("1+", 500000) + "1")}, fmt.Sprintf(chain, 12+2*m+1)},
		{"template if", map[string]string{"main.tf": bucket(`"` + r("%{if true}", 300000) + r("%{endif}", 300000) + `"`)}, fmt.Sprintf(chain, 13+10*m)},
		{"template for", map[string]string{"main.tf": bucket(`"` + r("%{for x in [1]}", 150000) + r("%{endfor}", 150000) + `"`)},
			// The [1] of the last directive is the link past the limit.
			fmt.Sprintf(chain, 13+15*(m-1)+len("%{for x in "))},
		{"tf.json string", map[string]string{"main.tf.json": `{"locals": {"x": "${` + r("!", 400000) + `true}"}}`},
			// jsonpos places a string at its last byte, the closing quote.
			fmt.Sprintf("main.tf.json:1:%d: error: expression chain too long", 18+len("${")+400000+len("true}")+1)},
		// Nesting in .tf.json is jsonpos's to bound; its diagnostic is kept
		// as it is.
		{"tf.json nesting", map[string]string{"main.tf.json": `{"locals": {"x": ` + r("[", 1000000) + `1}}`},
			fmt.Sprintf("main.tf.json:1:%d: error: invalid JSON: nesting deeper than %d levels", 17+hclguard.MaxDepth, hclguard.MaxDepth)},
		{"templatefile", map[string]string{
			"main.tf": bucket("templatefile(\"${path.module}/t.tpl\", {})"),
			"t.tpl":   "line\n${" + r("-", 400000) + "1}\n"},
			fmt.Sprintf("main.tf:2:28: warning: Invalid function argument: Invalid value for \"path\" parameter: invalid template: t.tpl:2,%d-%[1]d: expression chain too long", 3+m)},
		{"tfvars", map[string]string{"main.tf": "variable \"v\" {}\n", "terraform.tfvars": "v = " + r("!", 400000) + "true\n"},
			fmt.Sprintf("terraform.tfvars:1:%d: error: expression chain too long", 5+m)},
	}
}

// TestHostileInputsRefused: every hostile shape is refused before
// hclsyntax sees it, with the position of the token past the limit, and
// the other file of the directory still loads. With
// EKSGUARD_TEST_HOSTILE_UNGUARDED set it also shows each shape overflowing
// the stack when handed to hclsyntax directly (seconds and a gigabyte of
// memory each).
func TestHostileInputsRefused(t *testing.T) {
	if dir := os.Getenv(hostileDirEnv); dir != "" {
		hostileChild(t, dir, os.Getenv(hostileModeEnv))
		return
	}
	for _, tc := range hostileCases() {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"other.tf": otherFile}
			for k, v := range tc.files {
				files[k] = v
			}
			out, err := runHostile(t, files, "")
			if err != nil {
				t.Fatalf("the child failed (%v):\n%.2000s", err, out)
			}
			if !strings.Contains(out, tc.want) {
				t.Errorf("want %q in:\n%.2000s", tc.want, out)
			}
			if !strings.Contains(out, "resources aws_kms_key.other") {
				t.Errorf("the other file was not loaded:\n%.2000s", out)
			}
			if os.Getenv("EKSGUARD_TEST_HOSTILE_UNGUARDED") == "" || tc.name == "tf.json nesting" {
				return // jsonpos, not hclsyntax, reads that one
			}
			out, err = runHostile(t, tc.files, "unguarded")
			if err == nil || !strings.Contains(out, "stack overflow") {
				t.Errorf("unguarded, %s does not overflow the stack (%v):\n%.500s", tc.name, err, out)
			}
		})
	}
}

// TestChainsAtTheLimit: a chain of exactly MaxChain links, inside
// nesting of nearly MaxDepth levels, is read and evaluated to the right
// value, in a child too should the limit be unsafe.
func TestChainsAtTheLimit(t *testing.T) {
	r := strings.Repeat
	const m, d = hclguard.MaxChain, hclguard.MaxDepth
	// abs( opens a level and links nothing: d-1 of them, the chain
	// within.
	nested := func(expr string) string { return r("abs(", d-1) + expr + r(")", d-1) }
	exprs := map[string]string{
		"not":         r("!", m) + "true",
		"negation":    nested(r("-", m) + "7"),
		"binary":      nested(r("1 + ", m) + "1"),
		"conditional": nested(r("false ? 0 : ", m) + "1"),
		"template":    `"` + r("%{if true}", m/2) + "x" + r("%{endif}", m/2) + `"`,
		// The tuple's [ and each [*]'s stay counted, the last * too.
		"splat": "length(flatten([[[1]]]" + r("[*]", m-2) + "))",
	}
	want := map[string]string{"not": "true", "negation": "7", "binary": "10001", "conditional": "1", "template": `"x"`, "splat": "1"}
	// RawFile has a bound of its own on what it converts, rawMaxDepth
	// levels of the tree: the template's directives pass it, and are
	// reported, in a file of their own.
	files := map[string]string{"other.tf": otherFile}
	for name, e := range exprs {
		file := "main.tf"
		if name == "template" {
			file = "template.tf"
		}
		files[file] += fmt.Sprintf("resource \"aws_s3_bucket\" %q {\n  bucket = %s\n}\n", name, e)
	}
	for name, src := range files {
		if rf, bad := hclguard.Check([]byte(src), name, hcl.InitialPos, hclguard.Config); bad {
			t.Fatalf("%s refused at %+v", name, rf)
		}
	}
	out, err := runHostile(t, files, "")
	if err != nil {
		t.Fatalf("the child failed (%v):\n%.2000s", err, out)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "diag ") || (strings.HasPrefix(line, "raw ") && !strings.HasPrefix(line, "raw template.tf:2:")) {
			t.Errorf("diagnostic: %s", line)
		}
	}
	for name, v := range want {
		if line := fmt.Sprintf("bucket aws_s3_bucket.%s %s\n", name, v); !strings.Contains(out, line) {
			t.Errorf("want %q in:\n%.2000s", line, out)
		}
	}
}
