package jsonpos

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/graph"
)

func TestPositions(t *testing.T) {
	src := "{\n  \"a\": 1,\n  \"b\": [\n    true,\n    {\"c\": \"x\"}\n  ],\n  \"d\":\n    null\n}\n"
	v, err := Parse([]byte(src), "f.json")
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, got *graph.Value, line int) {
		t.Helper()
		if got == nil || int(got.Range.Line) != line || got.Range.File != "f.json" {
			t.Errorf("%s at %+v, want line %d", name, got, line)
		}
	}
	check("root", v, 1)
	check("a", v.Get("a"), 2)
	check("b", v.Get("b"), 3)
	check("b.0", v.Get("b", "0"), 4)
	check("b.1.c", v.Get("b", "1", "c"), 5)
	// A value on the line after its key is located at the key.
	check("d", v.Get("d"), 7)
	if v.Get("b").Range.EndLine != 6 || v.Range.EndLine != 9 {
		t.Errorf("end lines: b %d, root %d", v.Get("b").Range.EndLine, v.Range.EndLine)
	}
	if v.Get("a").Kind != graph.Number || v.Get("a").Num() != 1 || v.Get("b", "1", "c").Str != "x" {
		t.Error("values decoded wrongly")
	}
}

func TestErrors(t *testing.T) {
	cases := []struct {
		name, src  string
		line, col  int
		detailPart string
	}{
		{"truncated", "{\n  \"a\": [1,\n", 3, 1, "truncated"},
		{"garbage", "{\"a\": 1}\n}", 2, 1, ""},
		{"bad token", "{\n  \"a\": tru\n}", 2, 11, "literal"},
		{"duplicate", "{\"a\": 1,\n \"a\": 2}", 2, 2, "duplicate"},
		{"invalid utf8", "{\"a\": \"\xff\"}", 1, 8, "UTF-8"},
	}
	for _, c := range cases {
		_, err := Parse([]byte(c.src), "bad.json")
		var d diag.Diagnostic
		if !errors.As(err, &d) {
			t.Errorf("%s: error %v is not a diagnostic", c.name, err)
			continue
		}
		if d.File != "bad.json" || d.Line != c.line || (c.col != 0 && d.Column != c.col) {
			t.Errorf("%s: at %s:%d:%d, want line %d col %d (%s)", c.name, d.File, d.Line, d.Column, c.line, c.col, d.Detail)
		}
		if c.detailPart != "" && !strings.Contains(d.Detail, c.detailPart) {
			t.Errorf("%s: detail %q lacks %q", c.name, d.Detail, c.detailPart)
		}
	}
}

func TestDepthBound(t *testing.T) {
	deep := strings.Repeat("[", MaxDepth+10) + strings.Repeat("]", MaxDepth+10)
	_, err := Parse([]byte(deep), "deep.json")
	var d diag.Diagnostic
	if !errors.As(err, &d) || !strings.Contains(d.Detail, "nesting") {
		t.Fatalf("want a nesting error, got %v", err)
	}
	ok := strings.Repeat("[", MaxDepth-1) + strings.Repeat("]", MaxDepth-1)
	if _, err := Parse([]byte(ok), "ok.json"); err != nil {
		t.Fatalf("nesting within the bound rejected: %v", err)
	}
}

// readInParts reads data through a Doc as a partial reader does: every
// other member of objects skipped and, when decode is set, decoded
// afterwards; arrays walked element by element, down to level levels;
// below that, Value.
func readInParts(data []byte, file string, levels int, decode bool) (*graph.Value, error) {
	doc := NewDoc(data, file)
	dec := doc.Decoder()
	var read func(depth int) (*graph.Value, error)
	read = func(depth int) (*graph.Value, error) {
		if depth >= levels {
			return dec.Value(depth)
		}
		switch dec.PeekKind() {
		case '{':
			var parts []Part
			var keys []graph.Range
			var names []string
			v, err := dec.Object(depth, func(key string, keyRange graph.Range) (*graph.Value, error) {
				if len(parts)%2 == 0 {
					p, err := dec.Skip(depth + 1)
					parts, keys, names = append(parts, p), append(keys, keyRange), append(names, key)
					return nil, err
				}
				parts = append(parts, Part{})
				return read(depth + 1)
			})
			if err != nil {
				return nil, err
			}
			for i, p := range parts {
				if p.end == 0 || !decode {
					continue
				}
				m, err := doc.Decode(p, &keys[(i+1)/2])
				if err != nil {
					return nil, err
				}
				v.Map.Set(names[(i+1)/2], m)
			}
			return v, nil
		case '[':
			return dec.Array(depth, func() (*graph.Value, error) { return read(depth + 1) })
		}
		return dec.Value(depth)
	}
	v, err := read(0)
	if err != nil {
		return nil, err
	}
	return v, dec.End()
}

// sameValue reports where a and b differ, in kind, value or position.
func sameValue(a, b *graph.Value, path string) string {
	if a == nil || b == nil {
		if a != b {
			return path + ": one is absent"
		}
		return ""
	}
	if a.Kind != b.Kind || a.Bool != b.Bool || a.Str != b.Str || a.Range != b.Range || len(a.List) != len(b.List) || a.Map.Len() != b.Map.Len() ||
		(a.Num() != b.Num() && a.Num() == a.Num()) {
		return fmt.Sprintf("%s: %s %+v / %s %+v", path, a, a.Range, b, b.Range)
	}
	for i := range a.List {
		if d := sameValue(a.List[i], b.List[i], fmt.Sprint(path, "[", i, "]")); d != "" {
			return d
		}
	}
	for k, x := range a.Map.All() {
		if d := sameValue(x, b.Map.Get(k), path+"."+k); d != "" {
			return d
		}
	}
	return ""
}

// TestDocInParts: a document read in parts (members skipped and decoded
// afterwards) is the document Parse reads, positions included, and is
// refused where Parse refuses it.
func TestDocInParts(t *testing.T) {
	for _, src := range []string{
		"{\n  \"a\": 1,\n  \"b\": [\n    true,\n    {\"c\": \"x\", \"d\":\n [1, {\"e\": null}]}\n  ],\n  \"d\":\n    null,\n \"f\": {\"g\": {\"h\": [\"i\"]}}\n}\n",
		`[{"a": {"b": 1}, "c": [2, 3], "d": "e"}, [], {}]`,
		`{"a": "\u00e9\n", "b" : [ 1 , 2 ] , "c":{}}`,
		"{\"a\": 1,\n \"a\": 2}",
		`{"a": [1,}`,
		`{"a": 1} x`,
		"{\"a\": \"\xff\"}",
		`{"a": ` + strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth) + `}`,
		`{"a": ` + strings.Repeat("[", MaxDepth-1) + strings.Repeat("]", MaxDepth-1) + `}`,
		`{"a": ` + strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1) + `}`,
		`{"a": ` + strings.Repeat("[", MaxDepth) + "1" + strings.Repeat("]", MaxDepth) + `}`,
		`{"a": ` + strings.Repeat("[", MaxDepth) + `{"b": 1}` + strings.Repeat("]", MaxDepth) + `}`,
		`{"a": {"b": ` + strings.Repeat("[", MaxDepth-2) + "1" + strings.Repeat("]", MaxDepth-2) + `}}`,
		`{"a": {"b": ` + strings.Repeat("[", MaxDepth-1) + "1" + strings.Repeat("]", MaxDepth-1) + `}}`,
		`{"a": {"b": ` + strings.Repeat(`{"c":`, MaxDepth-1) + "1" + strings.Repeat("}", MaxDepth-1) + `}}`,
	} {
		for levels := 0; levels < 4; levels++ {
			want, werr := Parse([]byte(src), "f.json")
			// Skipped parts are checked when skipped, not only when decoded.
			if _, err := readInParts([]byte(src), "f.json", levels, false); (werr != nil) != (err != nil) {
				t.Errorf("%.60q, %d levels, skipped parts not decoded: Parse error %v, in parts %v", src, levels, werr, err)
			}
			got, gerr := readInParts([]byte(src), "f.json", levels, true)
			if (werr != nil) != (gerr != nil) {
				t.Errorf("%.60q, %d levels: Parse error %v, in parts %v", src, levels, werr, gerr)
				continue
			}
			if werr != nil {
				continue
			}
			if d := sameValue(want, got, "$"); d != "" {
				t.Errorf("%.60q, %d levels: %s", src, levels, d)
			}
		}
	}
}

// PosFrom gives what a search gives, whatever the hint: forward by a line
// or many, backward, past the end, on the line of the hint.
func TestPosFromAnyHint(t *testing.T) {
	data := []byte("{\n  \"a\": 1,\n\n  \"b\": [\n    2\n  ]\n}\n")
	// The wide form, for data past 4 GiB, answers alike.
	for _, l := range []*Lines{NewLines(data), {wide: lineStarts(data, []int{0})}} {
		posFromAnyHint(t, data, l)
	}
}

func posFromAnyHint(t *testing.T, data []byte, l *Lines) {
	want := func(off int) (int, int) {
		line, col := 1, 1
		for i := 0; i < off && i < len(data); i++ {
			if data[i] == '\n' {
				line, col = line+1, 1
			} else {
				col++
			}
		}
		if off >= len(data) {
			col += off - len(data)
		}
		return line, col
	}
	for hint := -1; hint <= l.lines()+1; hint++ {
		for off := 0; off <= len(data)+2; off++ {
			line, col, idx := l.PosFrom(off, hint)
			wl, wc := want(off)
			if line != wl || col != wc || idx != line-1 {
				t.Fatalf("PosFrom(%d, hint %d) = %d:%d (index %d), want %d:%d", off, hint, line, col, idx, wl, wc)
			}
		}
	}
}
