package yamlpos

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/eksguard/eksguard/internal/graph"
)

func TestPositionsAndMerge(t *testing.T) {
	src := "base: &base\n  a: 1\n  b: x\nobj:\n  <<: *base\n  b: y\n  list:\n    - k: v\n"
	docs, diags := Decode([]byte(src), "f.yaml", Options{})
	if len(diags) > 0 || len(docs) != 1 {
		t.Fatalf("docs %d diags %v", len(docs), diags)
	}
	v := docs[0].Value
	if got := v.Get("obj", "b"); got.Str != "y" || got.Range.Line != 6 {
		t.Errorf("own key wins over merged one, at its line: %+v", got)
	}
	if got := v.Get("obj", "a"); got == nil || got.Num() != 1 {
		t.Errorf("merged key missing: %+v", got)
	}
	if got := v.Get("obj", "list", "0", "k"); got.Str != "v" || got.Range.Line != 8 || got.Range.Column != 7 {
		t.Errorf("nested value position: %+v", got.Range)
	}
}

func TestDuplicateKeySkipsOnlyItsDocument(t *testing.T) {
	src := "a: 1\nb: 2\na: 3\n---\nc: 4\n"
	docs, diags := Decode([]byte(src), "dup.yaml", Options{})
	if len(docs) != 1 || docs[0].Value.Get("c") == nil {
		t.Fatalf("the next document must still be read: %d docs", len(docs))
	}
	if len(diags) != 1 || diags[0].Line != 3 || !strings.Contains(diags[0].Detail, "line 1") {
		t.Errorf("want a duplicate-key error at line 3 naming line 1, got %v", diags)
	}
}

func TestAliasBombIsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 10; i++ {
		prev := "*l" + string(rune('0'+i-1))
		b.WriteString("l" + string(rune('0'+i)) + ": &l" + string(rune('0'+i)) + " [" + strings.Repeat(prev+", ", 9) + prev + "]\n")
	}
	b.WriteString("---\nafter: ok\n")
	start := time.Now()
	docs, diags := Decode([]byte(b.String()), "bomb.yaml", Options{})
	if time.Since(start) > 10*time.Second {
		t.Errorf("alias bomb took %v", time.Since(start))
	}
	if len(diags) != 1 || !strings.Contains(diags[0].Summary, "too large") {
		t.Errorf("want one too-large error, got %v", diags)
	}
	if len(docs) != 1 || docs[0].Value.Get("after") == nil {
		t.Error("the document after the bomb must still be read")
	}
}

// TestManySmallBombsAreBounded: documents that each stay under the
// per-document bound must not add up without limit either.
func TestManySmallBombsAreBounded(t *testing.T) {
	var one strings.Builder
	one.WriteString("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 6; i++ { // 10^6 values per document
		prev := fmt.Sprintf("*l%d", i-1)
		fmt.Fprintf(&one, "l%d: &l%d [%s%s]\n", i, i, strings.Repeat(prev+", ", 9), prev)
	}
	stream := strings.Repeat("---\n"+one.String(), 40)
	start := time.Now()
	docs, diags := Decode([]byte(stream), "bombs.yaml", Options{})
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("took %v", took)
	}
	if len(docs) > 2 || len(diags) < 38 {
		t.Errorf("%d documents expanded, %d refused: the file's total must be bounded", len(docs), len(diags))
	}
}

func TestDeepNesting(t *testing.T) {
	deep := strings.Repeat("[", 5000) + strings.Repeat("]", 5000)
	_, diags := Decode([]byte(deep), "deep.yaml", Options{})
	if len(diags) != 1 {
		t.Fatalf("want one error for deep nesting, got %v", diags)
	}
	ok := strings.Repeat("- ", 100) + "x\n"
	if _, diags := Decode([]byte(ok), "ok.yaml", Options{}); len(diags) != 0 {
		t.Errorf("100 levels must be fine: %v", diags)
	}
}

func TestInvalidUTF8(t *testing.T) {
	_, diags := Decode([]byte("a: \xff\xfe\n"), "bad.yaml", Options{})
	if len(diags) != 1 || diags[0].Summary != "invalid YAML" || diags[0].File != "bad.yaml" {
		t.Errorf("want an invalid-YAML error, got %v", diags)
	}
}

func TestLocalTags(t *testing.T) {
	var seen []string
	tag := func(tag string, v *graph.Value) *graph.Value {
		seen = append(seen, tag+"="+v.String())
		return &graph.Value{Kind: graph.Map, Map: graph.FieldsOf(map[string]*graph.Value{tag: v}), Range: v.Range}
	}
	docs, diags := Decode([]byte("a: !Ref X\nb: !!str 12\nc: !Sub [x, {}]\n"), "t.yaml", Options{Tag: tag})
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	if got := strings.Join(seen, " "); got != `!Ref="X" !Sub=["x",{}]` {
		t.Errorf("tags seen: %s", got)
	}
	if v := docs[0].Value.Get("b"); v.Kind != graph.String || v.Str != "12" {
		t.Errorf("standard tags are resolved by YAML: %+v", v)
	}
	if v := docs[0].Value.Get("a", "!Ref"); v.Str != "X" || v.Range.Line != 1 {
		t.Errorf("tagged value keeps its position: %+v", v)
	}
}

// TestParallelMatchesSequential checks that splitting a large stream at
// document markers changes nothing: same documents, same positions, same
// diagnostics, and a syntax error still ends the stream where it stands.
func TestParallelMatchesSequential(t *testing.T) {
	defer func(n int) { parallelMin = n }(parallelMin)
	parallelMin = 64 << 10
	var b strings.Builder
	for i := 0; b.Len() < 3*parallelMin; i++ {
		fmt.Fprintf(&b, "---\n# Source: c/t%d.yaml\nkind: Pod\nmetadata:\n  name: p%d\n  text: |\n    line one\n    --- not a marker: indented\nspec:\n  containers: [{name: a, image: \"x:%d\"}]\n", i, i, i)
		if i == 300 {
			b.WriteString("---\ndup: 1\ndup: 2\n")
		}
	}
	clean := b.String()
	broken := clean[:len(clean)/2] + "---\nbad: [unclosed\n" + clean[len(clean)/2:]
	for name, src := range map[string]string{"clean": clean, "broken": broken} {
		if len(split([]byte(src))) < 2 {
			t.Fatalf("%s: stream was not split", name)
		}
		pd, pdiags := Decode([]byte(src), "big.yaml", Options{})
		sd, sdiags := decode([]byte(src), "big.yaml", 0, Options{})
		if fmt.Sprint(pdiags) != fmt.Sprint(sdiags) {
			t.Errorf("%s: diagnostics differ:\nparallel   %v\nsequential %v", name, pdiags, sdiags)
		}
		if len(pd) != len(sd) {
			t.Fatalf("%s: %d documents in parallel, %d sequentially", name, len(pd), len(sd))
		}
		for i := range pd {
			if a, b := positions(pd[i].Value), positions(sd[i].Value); a != b || pd[i].Comments != sd[i].Comments {
				t.Fatalf("%s: document %d differs:\n%s\n%s", name, i, a, b)
			}
		}
		if name == "broken" && len(pdiags) != 2 {
			t.Errorf("want the duplicate key and the syntax error, got %v", pdiags)
		}
	}
}

func positions(v *graph.Value) string {
	var b strings.Builder
	var walk func(v *graph.Value, path string)
	walk = func(v *graph.Value, path string) {
		fmt.Fprintf(&b, "%s=%s@%d:%d;", path, v.String(), v.Range.Line, v.Range.Column)
		for _, k := range v.Keys() {
			walk(v.Map.Get(k), path+"."+k)
		}
		for i, e := range v.List {
			walk(e, fmt.Sprintf("%s[%d]", path, i))
		}
	}
	walk(v, "")
	return b.String()
}

// Booleans and numbers are decoded once per text, tag and style in a run
// (runState.scalars): a value met again, or the same text under another
// tag or quoting, must read as it does on its own.
func TestRepeatedScalarsDecodeAlike(t *testing.T) {
	texts := []string{"1", "!!str 1", "\"1\"", "'1'", "!!float 1", "!!int 1", "0x10", "0o17", "1_000", "1e3", ".inf",
		"-.Inf", ".nan", "1.5", "!!int 1.5", "!!float 0x10", "true", "!!str true", "\"true\"", "True", "yes", "!!bool yes", "~", "null", "!!int x", "007", "+12"}
	var stream strings.Builder
	for round := range 2 {
		for i, s := range texts {
			fmt.Fprintf(&stream, "---\nv%d_%d: %s\n", round, i, s)
		}
	}
	docs, diags := Decode([]byte(stream.String()), "s.yaml", Options{})
	if len(diags) != 0 || len(docs) != 2*len(texts) {
		t.Fatalf("%d documents, %v", len(docs), diags)
	}
	for round := range 2 {
		for i, s := range texts {
			alone, ds := Decode([]byte(fmt.Sprintf("v: %s\n", s)), "a.yaml", Options{})
			if len(ds) != 0 || len(alone) != 1 {
				t.Fatalf("%s alone: %v", s, ds)
			}
			got := docs[round*len(texts)+i].Value.Get(fmt.Sprintf("v%d_%d", round, i))
			want := alone[0].Value.Get("v")
			if got.Kind != want.Kind || got.Str != want.Str || got.Bool != want.Bool ||
				!(got.Num() == want.Num() || got.Num() != got.Num() && want.Num() != want.Num()) {
				t.Errorf("%q in the stream (round %d) reads %v %q, alone %v %q", s, round, got.Kind, got.String(), want.Kind, want.String())
			}
		}
	}
}
