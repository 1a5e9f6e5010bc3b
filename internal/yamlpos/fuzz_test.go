package yamlpos

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/testutil/fuzzing"

	"github.com/eksguard/eksguard/internal/graph"
)

// hostileYAML are the shapes that have hurt YAML readers elsewhere: alias
// bombs, deep nesting, huge scalars, byte order marks, NUL bytes.
func hostileYAML() []string {
	bomb := "a: &a [x, x, x, x, x, x, x, x, x]\n"
	for i := 'b'; i <= 'k'; i++ {
		bomb += fmt.Sprintf("%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	return []string{
		bomb,
		strings.Repeat("[", 10000) + strings.Repeat("]", 10000),
		strings.Repeat("- ", 400) + "x\n",
		strings.Repeat("{a: ", 300) + "1" + strings.Repeat("}", 300),
		"k: " + strings.Repeat("x", 64<<10) + "\n",
		"k: \"" + strings.Repeat("\\u00e9", 4096) + "\"\n",
		"\ufeffapiVersion: v1\nkind: Pod\n",
		"a: \x00\nb: 1\n",
		"a: 1\n---\n\ufeffb: 2\n...\n%YAML 1.2\n---\nc: 3\n",
		"<<: [*a, *b]\n",
		"a: &a {b: *a}\n",
		"? [a, b]\n: c\n? {x: y}\n: d\n",
		"x: !Ref\ny: !Sub [a, {b: !GetAtt c.d}]\n",
		"a: |\n  x\n b: 1\n",
		"a: 1\na: 2\n---\nb: 1\n",
		"\t- a\n",
		"%TAG ! tag:x,2000:\n--- !a\n",
		"a: .inf\nb: -.Inf\nc: .nan\nd: 1e400\n",
	}
}

// FuzzDecode: no panic; decoding ends within bounds; every value and
// diagnostic points into the input (its file, a line that exists); values
// nest no deeper than MaxDepth and no document expands past MaxValues;
// each document's JSON form (what policies and `eksguard graph` read) is
// JSON.
func FuzzDecode(f *testing.F) {
	f.Add([]byte("a: &a [1]\nb: [*a, *a]\n"))
	f.Add([]byte("x: !GetAtt A.B\n---\n<<: {a: 1}\n"))
	f.Add([]byte("{\"k\": [1, 2, {\"z\": null}]}"))
	for _, s := range hostileYAML() {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tag := func(tag string, v *graph.Value) *graph.Value {
			return &graph.Value{Kind: graph.Map, Map: graph.FieldsOf(map[string]*graph.Value{tag: v}), Range: v.Range}
		}
		defer fuzzing.Watchdog("Decode", len(data))()
		docs, diags := Decode(data, "fuzz.yaml", Options{Tag: tag})
		lines := fuzzing.YAMLLines(data)
		for _, d := range diags {
			if d.File != "fuzz.yaml" || d.Line < 0 || d.Line > lines {
				t.Fatalf("diagnostic outside the input (%d lines): %s", lines, d)
			}
		}
		for i, d := range docs {
			if d.Value == nil {
				t.Fatal("nil document value")
			}
			n := 0
			var walk func(v *graph.Value, depth int)
			walk = func(v *graph.Value, depth int) {
				n++
				if n > MaxValues {
					t.Fatalf("document %d expands past %d values", i, MaxValues)
				}
				// The tag hook wraps a value in a map of its own, one
				// level per tag, so allow one extra level per level.
				if depth > 2*(MaxDepth+1) {
					t.Fatalf("document %d nests deeper than %d", i, MaxDepth)
				}
				if v == nil {
					t.Fatalf("document %d holds a nil value", i)
				}
				if v.Range.File != "fuzz.yaml" || v.Range.Line < 1 || int(v.Range.Line) > lines || v.Range.Column < 1 {
					t.Fatalf("document %d: value %s at %+v, outside the input (%d lines)", i, v.Kind, v.Range, lines)
				}
				for _, e := range v.List {
					walk(e, depth+1)
				}
				for _, e := range v.Map.All() {
					walk(e, depth+1)
				}
			}
			walk(d.Value, 0)
			if b, _ := d.Value.MarshalJSON(); !json.Valid(b) {
				t.Fatalf("document %d: the graph's JSON form is not JSON: %.200s", i, b)
			}
		}
	})
}
