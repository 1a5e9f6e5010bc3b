package graph

import (
	"sync"
	"sync/atomic"
	"testing"
)

func TestGetPath(t *testing.T) {
	at := func(line int32, v *Value) *Value { v.Range = Range{File: "f", Line: line}; return v }
	block := at(3, NewMap(map[string]*Value{"http_tokens": at(4, NewString("required"))}))
	attrs := NewMap(map[string]*Value{
		"metadata_options": at(2, NewList(block)),
		"subnets":          at(5, NewList(NewString("a"), NewString("b"))),
		"computed":         NewUnknown(),
	})
	r := &Resource{Attrs: attrs, Range: Range{File: "f", Line: 1}}
	tests := []struct {
		path string
		want string
	}{
		{"metadata_options.http_tokens", `"required"`},   // a one-element block list is descended
		{"metadata_options.0.http_tokens", `"required"`}, // or indexed
		{"metadata_options.1.http_tokens", "(absent)"},   // out of range
		{"subnets.1", `"b"`},                             // list index
		{"subnets.x", "(absent)"},                        // key into a list of several
		{"computed.anything.below", UnknownMarker},       // below unknown is unknown
		{"missing.deeper", "(absent)"},                   // absent stays absent
		{"", `{"computed":{"__unknown__":true},"metadata_options":[{"http_tokens":"required"}],"subnets":["a","b"]}`},
	}
	for _, tt := range tests {
		if got := r.Attrs.GetPath(tt.path).String(); got != tt.want {
			t.Errorf("GetPath(%q) = %s, want %s", tt.path, got, tt.want)
		}
	}
	if got := r.AttrRange("metadata_options.http_tokens").Line; got != 4 {
		t.Errorf("range of a present attribute: line %d", got)
	}
	if got := r.AttrRange("metadata_options.http_endpoint").Line; got != 2 {
		t.Errorf("an absent attribute falls back to its enclosing block: line %d", got)
	}
	if got := r.AttrRange("nothing.here").Line; got != 1 {
		t.Errorf("falls back to the resource: line %d", got)
	}
}

func TestMemo(t *testing.T) {
	g := New()
	type countKey struct{ n int }
	type otherKey struct{ n int }
	calls := 0
	f := func() int { calls++; return calls }
	first, second := Memo(g, countKey{1}, f), Memo(g, countKey{1}, f)
	if first != 1 || second != 1 || calls != 1 {
		t.Errorf("computed %d times", calls)
	}
	// Another value of the key, or another key type with the same value,
	// is another entry.
	if got := Memo(g, countKey{2}, f); got != 2 {
		t.Errorf("countKey{2} = %d, want a value of its own", got)
	}
	if got := Memo(g, otherKey{1}, func() string { return "other" }); got != "other" {
		t.Errorf("otherKey{1} = %q: it met countKey{1}'s entry", got)
	}
	// One memo may be built from another without deadlocking.
	type outerKey struct{}
	if got := Memo(g, outerKey{}, func() int { return Memo(g, countKey{1}, f) + 10 }); got != 11 {
		t.Errorf("nested memo = %v", got)
	}
}

func TestMemoConcurrent(t *testing.T) {
	g := New()
	type key struct{}
	var built atomic.Int32
	var wg sync.WaitGroup
	got := make([]*int, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = Memo(g, key{}, func() *int { built.Add(1); v := i; return &v })
		}()
	}
	wg.Wait()
	for i, p := range got {
		if p != got[0] {
			t.Fatalf("caller %d got another value than caller 0 (%d builds)", i, built.Load())
		}
	}
}

func TestStripInstanceKeys(t *testing.T) {
	for in, want := range map[string]string{
		`module.a["x"].module.b[0].`: "module.a.module.b.",
		`module.a["k]["].module.b`:   "module.a.module.b",
		`module.a["q\"]"]`:           "module.a",
		"aws_s3_bucket.b":            "aws_s3_bucket.b",
	} {
		if got := StripInstanceKeys(in); got != want {
			t.Errorf("StripInstanceKeys(%q) = %q, want %q", in, got, want)
		}
	}
}

// Found by the parsers' fuzz targets: 1e400 in JSON and .inf or .nan in
// YAML made numbers JSON cannot hold, and the graph's JSON form (what
// `eksguard graph` prints) was no longer JSON.
func TestNonFiniteNumbersWriteAsJSON(t *testing.T) {
	inf := 1e308
	inf *= 10
	v := NewList(NewNumber(inf), NewNumber(-inf), NewNumber(inf-inf), NewNumber(1.5))
	got, _ := v.MarshalJSON()
	if want := `[1.7976931348623157e+308,-1.7976931348623157e+308,null,1.5]`; string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
}
