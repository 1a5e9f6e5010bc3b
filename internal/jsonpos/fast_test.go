package jsonpos

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/testutil/plangen"
)

// sameTree tells where two parsed trees differ, "" when they do not:
// kinds, values, ranges, keys, and an empty list's nil-ness.
func sameTree(a, b *graph.Value, path string) string {
	switch {
	case a == nil || b == nil:
		if a != b {
			return path + ": nil on one side"
		}
		return ""
	case a.Kind != b.Kind || a.Bool != b.Bool || a.Str != b.Str || math.Float64bits(a.Num()) != math.Float64bits(b.Num()):
		return fmt.Sprintf("%s: %v %q %v / %v %q %v", path, a.Kind, a.Str, a.Num(), b.Kind, b.Str, b.Num())
	case a.Range != b.Range:
		return fmt.Sprintf("%s: at %+v / %+v", path, a.Range, b.Range)
	case len(a.List) != len(b.List) || (a.List == nil) != (b.List == nil):
		return fmt.Sprintf("%s: lists of %d / %d", path, len(a.List), len(b.List))
	case a.Map.Len() != b.Map.Len() || (a.Map == nil) != (b.Map == nil):
		return fmt.Sprintf("%s: maps of %d / %d", path, a.Map.Len(), b.Map.Len())
	}
	for i := range a.List {
		if d := sameTree(a.List[i], b.List[i], fmt.Sprintf("%s[%d]", path, i)); d != "" {
			return d
		}
	}
	for k, e := range a.Map.All() {
		if d := sameTree(e, b.Map.Get(k), path+"."+k); d != "" {
			return d
		}
	}
	return ""
}

// checkFast: what the fast parser accepts, the decoder accepts and reads
// the same; what the decoder rejects, the fast parser rejects.
func checkFast(t *testing.T, data []byte) {
	t.Helper()
	fast, ok := parseFast(data, "f.json", len(data)%2 == 0)
	slow, err := parseTokens(data, "f.json")
	switch {
	case ok && err != nil:
		t.Fatalf("fast parser accepts what the decoder rejects (%v): %.200q", err, data)
	case ok:
		if d := sameTree(fast, slow, "$"); d != "" {
			t.Fatalf("trees differ at %s: %.200q", d, data)
		}
	}
}

// fastSeeds are inputs of every shape the fast parser reads or gives up
// on.
var fastSeeds = []string{`{}`, `[]`, ` {"a" : [1, -2.5e3, 0, -0, 1E+2, true, false, null, "x"] } `, "{\n  \"a\": 1,\n  \"b\": [\n    true,\n    {\"c\": \"x\"}\n  ],\n  \"d\":\n    null\n}\n",
	"[\n]", "{\n}", `"\u00e9\n\t\\\"\/\b\f\r"`, `"é"`, `"\ud83d\ude00"`, `"\ud800"`, "\"\xff\"", "\"a\x01\"", `{"a":1,"a":2}`, `{"a":1,"\u0061":2}`,
	`1e400`, `-1e400`, `1e-400`, `01`, `1.`, `.5`, `-`, `1e`, `+1`, `truex`, `tru`, `nul`, `[1,]`, `{"a" 1}`, `{"a":}`, `{,}`, `[1 2]`, "[1]\n[2]",
	"\ufeff{}", "/* c */ {}", `{"a":"b"`, `"abc`, `[`, ``, " ", "\"\\x\"", `"\u12"`, `"\u12g4"`, "{\"k\":\r\n\"v\"}",
	strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth), strings.Repeat("[", MaxDepth+2) + strings.Repeat("]", MaxDepth+2),
	`{"long":"` + strings.Repeat("y", 100) + `","short":"` + strings.Repeat("y", 10) + `"}`}

func TestFastParserMatchesDecoder(t *testing.T) {
	for _, s := range fastSeeds {
		checkFast(t, []byte(s))
	}
	pretty := plangen.Generate(200)
	var compact bytes.Buffer
	if err := json.Compact(&compact, pretty); err != nil {
		t.Fatal(err)
	}
	checkFast(t, pretty)
	checkFast(t, compact.Bytes())
	if _, ok := parseFast(compact.Bytes(), "f.json", true); !ok {
		t.Fatal("the fast parser gives up on a plan")
	}
	// Every JSON file of the repository's examples and test data.
	n := 0
	for _, root := range []string{"../../examples", "../builtin/testdata", "../frontend/testdata", "../policy/testdata"} {
		_ = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			n++
			checkFast(t, data)
			return nil
		})
	}
	if n < 20 {
		t.Fatalf("only %d JSON files found", n)
	}
}

func FuzzFastMatchesDecoder(f *testing.F) {
	for _, s := range fastSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFast(t, data)
	})
}
