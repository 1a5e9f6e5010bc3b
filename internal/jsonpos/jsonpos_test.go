package jsonpos

import (
	"errors"
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
		if got == nil || got.Range.Line != line || got.Range.File != "f.json" {
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
	if v.Get("a").Kind != graph.Number || v.Get("a").Num != 1 || v.Get("b", "1", "c").Str != "x" {
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
