package frontend

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/testutil/fuzzing"

	"github.com/eksguard/eksguard/internal/graph"
)

// fuzzExts are the names content is routed by: JSON and YAML take every
// kind detection, .tf and .tf.json the Terraform evaluator, config and
// credentials the AWS CLI reader.
var fuzzExts = []string{".json", ".yaml", ".yml", ".tf", ".tf.json", ".template", "config", "credentials"}

// fuzzName makes a file name of the fuzzer's: a few safe bytes of its own,
// then the suffix that routes the content.
func fuzzName(name string, ext uint8) string {
	var b strings.Builder
	for _, c := range []byte(name) {
		if b.Len() == 32 {
			break
		}
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' {
			b.WriteByte(c)
		}
	}
	return b.String() + fuzzExts[int(ext)%len(fuzzExts)]
}

// FuzzLoad: one file of arbitrary bytes and name, given explicitly or met
// in a directory walk. No panic; loading ends within bounds; every
// diagnostic names a file, and a line of the input when it is about the
// input; every resource, document and positioned value from the input is
// on one of its lines; the graph's JSON form is JSON; imported findings
// write as JSON.
func FuzzLoad(f *testing.F) {
	seeds := []struct{ path, name string }{
		{"../../examples/shop/cloudformation/nodegroup.yaml", "nodegroup.yaml"},
		{"../../examples/shop/k8s/debug-pod.yaml", "pod.yaml"},
		{"../../examples/shop/k8s/platform.yaml", "platform.yml"},
		{"../../examples/shop/terraform/main.tf", "main.tf"},
		{"../../examples/data-platform/lake.tf", "lake.tf"},
		{"../../internal/builtin/testdata/CI-002/deploy.yml", "deploy.yml"},
		{"../../internal/builtin/testdata/ACC-003/config", "config"},
		{"../../internal/builtin/testdata/ACC-003/credentials", "credentials"},
		{"../../internal/builtin/testdata/IAM-001/file/admin.json", "admin.json"},
		{"../../internal/builtin/testdata/IAM-001/plan/plan.json", "plan.json"},
		{"../../internal/frontend/tfhcl/testdata/tfjson/main.tf.json", "main.tf.json"},
		{"../../internal/frontend/cfn/testdata/same.json", "same.json"},
		{"../../internal/imports/testdata/sarif.json", "sarif.json"},
		{"../../internal/imports/testdata/trivy.json", "trivy.json"},
		{"../../internal/policy/testdata/conftest/k8s/deployment.yaml", "deployment.yaml"},
	}
	for _, s := range seeds {
		data, err := os.ReadFile(s.path)
		if err != nil {
			continue
		}
		for i, e := range fuzzExts {
			if strings.HasSuffix(s.name, e) {
				f.Add(data, strings.TrimSuffix(s.name, e), uint8(i), false)
			}
		}
	}
	for _, s := range []string{
		"\ufeff{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}]}",
		"{\"a\": \x00}",
		strings.Repeat("[", 1000) + strings.Repeat("]", 1000),
		"apiVersion: v1\nkind: Pod\nmetadata: {name: " + strings.Repeat("x", 64<<10) + "}\n",
		"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
		"{{ .Values.x }}\napiVersion: v1\n",
		"[default]\naws_access_key_id = AKIA\n",
		"resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n}\n",
		"on: push\njobs: {a: {steps: [{run: x}]}}\n",
		"{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"p\"}, \"spec\": {\"terminationGracePeriodSeconds\": 1e400}}",
		"apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {terminationGracePeriodSeconds: .inf, priority: .nan}\n",
	} {
		for i := range fuzzExts {
			f.Add([]byte(s), "f", uint8(i), i%2 == 0)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, name string, ext uint8, walk bool) {
		dir := t.TempDir()
		path := filepath.Join(dir, fuzzName(name, ext))
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		arg := path
		if walk {
			arg = dir
		}
		defer fuzzing.Watchdog("Load", len(data))()
		res := Load([]string{arg}, Options{KeepDocuments: true})
		file := filepath.ToSlash(path)
		lines := fuzzing.YAMLLines(data)
		for _, d := range res.Diags {
			if d.File == "" || d.Line < 0 || (d.File == file && d.Line > lines) {
				t.Fatalf("diagnostic not in the input (%d lines): %s", lines, d)
			}
		}
		inInput := func(what string, r graph.Range) {
			if r.File == file && (int(r.Line) > lines || int(r.EndLine) > lines) {
				t.Fatalf("%s at %+v, outside the input (%d lines)", what, r, lines)
			}
		}
		var check func(what string, v *graph.Value, depth int)
		check = func(what string, v *graph.Value, depth int) {
			if v == nil || depth > 1024 {
				return
			}
			inInput(what, v.Range)
			for i, e := range v.List {
				check(fmt.Sprintf("%s[%d]", what, i), e, depth+1)
			}
			for k, e := range v.Map.All() {
				check(what+"."+k, e, depth+1)
			}
		}
		for _, r := range res.Graph.Resources() {
			inInput(r.Address, r.Range)
			check(r.Address, r.Attrs, 0)
			if b, _ := r.Attrs.MarshalJSON(); !json.Valid(b) {
				t.Fatalf("%s: the graph's JSON form is not JSON: %.200s", r.Address, b)
			}
		}
		for _, d := range res.Documents {
			if d.File != file {
				t.Fatalf("document of %s, not of the input %s", d.File, file)
			}
			check(fmt.Sprintf("document %d", d.Index), d.Value, 0)
			if b, _ := d.Value.MarshalJSON(); !json.Valid(b) {
				t.Fatalf("document %d: its JSON form is not JSON: %.200s", d.Index, b)
			}
		}
		for _, fd := range res.Imported {
			if _, err := json.Marshal(fd); err != nil {
				t.Fatalf("imported %s does not write as JSON: %v", fd.RuleID, err)
			}
		}
	})
}
