package policy

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/eksguard/eksguard/internal/graph"
)

// The top-level keys of input a policy set reads, or that it reads the
// input whole.
func TestInputKeys(t *testing.T) {
	const head = "package p\n\nimport rego.v1\n\n"
	cases := []struct {
		name, src string
		keys      []string
		whole     bool
	}{
		{"keys", `deny contains rc.address if { some rc in input.resource_changes; input.format_version == "1.2" }`,
			[]string{"format_version", "resource_changes"}, false},
		{"bracket", `deny contains "x" if input["kind"] == "Pod"`, []string{"kind"}, false},
		{"nested", `deny contains "x" if input.a[input.b] == 1`, []string{"a", "b"}, false},
		{"function of a key", `f(x) := x.y` + "\n" + `deny contains "x" if f(input.spec) == 1`, []string{"spec"}, false},
		{"assigned", `deny contains "x" if { x := input; x.a == 1 }`, nil, true},
		{"iterated", `deny contains k if { some k, _ in input }`, nil, true},
		{"computed key", `deny contains "x" if input[concat("", ["a", "b"])] == 1`, nil, true},
		{"builtin", `deny contains "x" if object.get(input, "a", 0) == 1`, nil, true},
		{"function", `f(x) := x.y` + "\n" + `deny contains "x" if f(input) == 1`, nil, true},
		{"counted", `deny contains "x" if count(input) > 3`, nil, true},
		{"printed", `deny contains "x" if print(input)`, nil, true},
		{"data only", `deny contains "x" if data.p.z == 1` + "\nz := 1", []string{}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "p.rego"), []byte(head+c.src+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			s := Load([]string{dir}, Options{})
			if len(s.Diags) > 0 {
				t.Fatalf("diags: %v", s.Diags)
			}
			keys, whole := s.inputKeys()
			if whole != c.whole {
				t.Errorf("whole = %v, want %v", whole, c.whole)
			}
			if c.whole {
				return
			}
			var got []string
			for k := range keys {
				got = append(got, k)
			}
			sort.Strings(got)
			want := append([]string{}, c.keys...)
			if !slices.Equal(got, want) {
				t.Errorf("keys %s, want %s", strings.Join(got, ","), strings.Join(want, ","))
			}
		})
	}
}

// A long list converted in parts on every core is the list converted in
// one go.
func TestParallelConversion(t *testing.T) {
	var items []*graph.Value
	for i := range 3*parallelList + 7 {
		items = append(items, graph.NewMap(map[string]*graph.Value{
			"address": graph.NewString("aws_s3_bucket.b" + strconv.Itoa(i)),
			"index":   graph.NewNumber(float64(i)),
			"tags":    graph.NewList(graph.NewString("a"), graph.NewBool(i%2 == 0)),
		}))
	}
	doc := graph.NewMap(map[string]*graph.Value{"resource_changes": graph.NewList(items...)})
	par := newConverter()
	par.parallel = true
	got, want := par.value(doc), newConverter().value(doc)
	if got.Compare(want) != 0 {
		t.Fatal("the parallel conversion differs")
	}
	if n := got.(ast.Object).Get(ast.StringTerm("resource_changes")).Value.(*ast.Array).Len(); n != len(items) {
		t.Fatalf("%d items", n)
	}
}
