package k8s

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

// FuzzParse: arbitrary bytes as a manifest stream. No panic; parsing and
// loading end within bounds; every diagnostic names the file and a line of
// it; every object is a Kubernetes object positioned in the file, and each
// becomes at most one resource.
func FuzzParse(f *testing.F) {
	f.Add([]byte(rendered))
	f.Add([]byte("a: &a [1]\nb: [*a, *a]\n"))
	f.Add([]byte("{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [{}]}"))
	// The manifests the rules are tested with are the realistic shapes.
	manifests, _ := filepath.Glob("../../builtin/testdata/K8S-*/*.yaml")
	for _, p := range manifests {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	bomb := "apiVersion: v1\nkind: ConfigMap\na: &a [x, x, x, x, x, x, x, x, x]\n"
	for i := 'b'; i <= 'k'; i++ {
		bomb += fmt.Sprintf("%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	for _, s := range []string{
		bomb,
		"apiVersion: v1\nkind: List\nitems:\n" + strings.Repeat("- apiVersion: v1\n  kind: List\n  items:\n", 1) + "  - {apiVersion: v1, kind: Pod, metadata: {name: p}}\n",
		"apiVersion: v1\nkind: List\nitems: &i\n- {apiVersion: v1, kind: List, items: *i}\n",
		"\ufeffapiVersion: v1\nkind: Pod\nmetadata:\n  name: \"a\\0b\"\n  namespace: \"\x00\"\n",
		"apiVersion: v1\nkind: Pod\nmetadata: {name: " + strings.Repeat("x", 64<<10) + "}\n",
		"apiVersion: v1\nkind: Pod\nspec: " + strings.Repeat("[", 300) + strings.Repeat("]", 300) + "\n",
		"# Source: " + strings.Repeat("a/", 1000) + "\napiVersion: v1\nkind: Secret\n",
		"apiVersion: [v1]\nkind: {a: b}\nmetadata: 3\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: [x], namespace: 1}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		defer fuzzing.Watchdog("Parse", len(data))()
		objs, diags := Parse(data, "fuzz.yaml")
		lines := fuzzing.YAMLLines(data)
		for _, d := range diags {
			if d.File != "fuzz.yaml" || d.Line < 0 || d.Line > lines {
				t.Fatalf("diagnostic not in the input (%d lines): %s", lines, d)
			}
		}
		for _, o := range objs {
			if !IsObject(o.Value) {
				t.Fatalf("not a Kubernetes object: %s", o.Value)
			}
			if o.Value.Range.File != "fuzz.yaml" || o.Value.Range.Line < 1 || int(o.Value.Range.Line) > lines {
				t.Fatalf("object at %+v, outside the input (%d lines)", o.Value.Range, lines)
			}
		}
		g := graph.New()
		Load(g, objs, "fuzz.yaml", "")
		if g.Len() > len(objs) {
			t.Fatalf("%d objects became %d resources", len(objs), g.Len())
		}
		for _, r := range g.Resources() {
			if r.Range.File != "fuzz.yaml" || int(r.Range.Line) > lines {
				t.Fatalf("%s at %+v, outside the input (%d lines)", r.Address, r.Range, lines)
			}
			if b, _ := r.Attrs.MarshalJSON(); !json.Valid(b) {
				t.Fatalf("%s: the graph's JSON form is not JSON: %.200s", r.Address, b)
			}
		}
	})
}
