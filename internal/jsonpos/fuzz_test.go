package jsonpos

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/testutil/fuzzing"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/graph"
)

// FuzzParse: no panic; parsing ends within bounds; a value or an error,
// never neither; the error is a diagnostic on a line of the input; every
// value is positioned inside the input and nests no deeper than MaxDepth;
// without escapes, every key and string is text of the input; the value's
// JSON form (what policies and `eksguard graph` read) is JSON.
func FuzzParse(f *testing.F) {
	for _, s := range []string{`{}`, `[]`, `{"a":[1,2,{"b":null}]}`, "{\n\"x\": \"y\"\n}", `{"a":`, `[[[[`, `"\u00e9"`, `1e400`,
		"\ufeff{\"a\": 1}", "{\"a\": \"\x00\"}", "{\"a\": 1, \"a\": 2}", "[1]\n[2]", "{\"\xff\": 1}",
		strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1),
		strings.Repeat(`{"a":`, 1000) + "1" + strings.Repeat("}", 1000),
		`{"k": "` + strings.Repeat("x", 64<<10) + `"}`,
		"[" + strings.Repeat("1,", 10000) + "1]",
		"-0.0e-999", "0x10", "[1,]", "{\"a\" 1}", "/* c */ {}", "\"\\ud800\"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		defer fuzzing.Watchdog("Parse", len(data))()
		v, err := Parse(data, "fuzz.json")
		for levels := 1; levels <= 3; levels++ {
			if _, perr := readInParts(data, "fuzz.json", levels, false); (perr != nil) != (err != nil) {
				t.Fatalf("%d levels, skipped parts not decoded: Parse error %v, in parts %v", levels, err, perr)
			}
			pv, perr := readInParts(data, "fuzz.json", levels, true)
			if (perr != nil) != (err != nil) {
				t.Fatalf("%d levels: Parse error %v, in parts %v", levels, err, perr)
			}
			if err == nil {
				if d := sameValue(v, pv, "$"); d != "" {
					t.Fatalf("%d levels: read in parts differs: %s", levels, d)
				}
			}
		}
		lines := bytes.Count(data, []byte{'\n'}) + 1
		if err == nil && v == nil {
			t.Fatal("nil value without error")
		}
		if err != nil {
			var d diag.Diagnostic
			if !errors.As(err, &d) || d.File != "fuzz.json" || d.Line < 1 || d.Line > lines || d.Column < 1 {
				t.Fatalf("error not positioned in the input (%d lines): %v", lines, err)
			}
			return
		}
		escapes := bytes.IndexByte(data, '\\') >= 0
		var walk func(v *graph.Value, depth int)
		walk = func(v *graph.Value, depth int) {
			if depth > MaxDepth+1 {
				t.Fatalf("value nests deeper than %d", MaxDepth)
			}
			if v.Range.File != "fuzz.json" || v.Range.Line < 1 || int(v.Range.Line) > lines || v.Range.Column < 1 || int(v.Range.EndLine) > lines {
				t.Fatalf("%s value at %+v, outside the input (%d lines)", v.Kind, v.Range, lines)
			}
			if !escapes && v.Kind == graph.String && !bytes.Contains(data, []byte(v.Str)) {
				t.Fatalf("string %q is not in the input", v.Str)
			}
			for _, e := range v.List {
				walk(e, depth+1)
			}
			for k, e := range v.Map.All() {
				if !escapes && !bytes.Contains(data, []byte(k)) {
					t.Fatalf("key %q is not in the input", k)
				}
				walk(e, depth+1)
			}
		}
		walk(v, 0)
		if b, _ := v.MarshalJSON(); !json.Valid(b) {
			t.Fatalf("the graph's JSON form is not JSON: %.200s", b)
		}
	})
}
