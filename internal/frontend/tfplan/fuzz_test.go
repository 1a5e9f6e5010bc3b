package tfplan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/testutil/fuzzing"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/jsonpos"
	"github.com/eksguard/eksguard/internal/testutil/plangen"
)

// FuzzLoadPlan: any JSON document Detect takes for a plan. No panic;
// loading ends within bounds; every diagnostic names the plan and a line
// of it; every resource and positioned attribute is on a line of the plan;
// the loaded graph can be walked and written. Any input: Decode reads it
// exactly as Parse and Load do, and refuses what they refuse.
func FuzzLoadPlan(f *testing.F) {
	f.Add([]byte(unknownPlan))
	f.Add([]byte(refPlan))
	f.Add([]byte(providerPlan))
	f.Add(plangen.Generate(20))
	f.Add([]byte(`{"format_version":"1.0","resource_changes":[{"address":"a.b","change":{"after":{"x":1},"after_unknown":{"x":[true,{"y":true}]}}}]}`))
	// The plans the rules are tested with are the realistic shapes.
	plans, _ := filepath.Glob("../../builtin/testdata/*/plan/*.json")
	more, _ := filepath.Glob("../../builtin/testdata/*/plan.json")
	for _, p := range append(plans, more...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		`{"format_version":"1.2","planned_values":{"root_module":{"child_modules":[` + strings.Repeat(`{"child_modules":[`, 200) + strings.Repeat(`]}`, 200) + `]}}}`,
		`{"format_version":"1.2","resource_changes":[{"address":"` + strings.Repeat("module.a.", 2000) + `b.c","change":{"after":{}}}]}`,
		`{"format_version":"1.2","resource_changes":[{"address":"a.b[\"x\"]","change":{"after":{"p":"` + strings.Repeat(`{\"a\":`, 300) + `"}}}]}`,
		"\ufeff" + `{"format_version":"1.2","resource_changes":[{"address":"a.b","change":{"after":{"x":"\u0000"},"after_unknown":true}}]}`,
		`{"format_version":"1.2","resource_changes":[{"address":"a.b","change":{"after":null,"before":{"x":1e400},"after_sensitive":{"x":true}}}],"configuration":{"root_module":{"resources":[{"address":"a.b","expressions":{"x":{"references":["a.b","a.b"]}}}]}}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		decodeLikeLoad(t, data)
		root, err := jsonpos.Parse(data, "fuzz.json")
		if err != nil || !Detect(root) {
			return
		}
		defer fuzzing.Watchdog("Load", len(data))()
		g := graph.New()
		diags := Load(g, root, "fuzz.json")
		lines := bytes.Count(data, []byte{'\n'}) + 1
		for _, d := range diags {
			if d.File != "fuzz.json" || d.Line < 0 || d.Line > lines {
				t.Fatalf("diagnostic not in the input (%d lines): %s", lines, d)
			}
		}
		for _, r := range g.Resources() {
			if int(r.Range.Line) > lines || (r.Range.Line > 0 && r.Range.File != "fuzz.json") {
				t.Fatalf("%s at %+v, outside the input (%d lines)", r.Address, r.Range, lines)
			}
			var walk func(path string, v *graph.Value)
			walk = func(path string, v *graph.Value) {
				if v == nil {
					return
				}
				if int(v.Range.Line) > lines || (v.Range.Line > 0 && v.Range.File != "fuzz.json") {
					t.Fatalf("%s.%s at %+v, outside the input (%d lines)", r.Address, path, v.Range, lines)
				}
				for i, e := range v.List {
					walk(fmt.Sprintf("%s[%d]", path, i), e)
				}
				for k, e := range v.Map.All() {
					walk(path+"."+k, e)
				}
			}
			walk("", r.Attrs)
			if b, _ := r.Attrs.MarshalJSON(); !json.Valid(b) {
				t.Fatalf("%s: the graph's JSON form is not JSON: %.200s", r.Address, b)
			}
			_ = r.AttrRange("a.b.c")
			g.Targets(r, "")
		}
	})
}
