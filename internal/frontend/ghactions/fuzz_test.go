package ghactions

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/testutil/fuzzing"

	"github.com/eksguard/eksguard/internal/graph"
)

// FuzzParse: arbitrary bytes as a workflow file. No panic; it ends within
// bounds; diagnostics name the file and a line of it; a file taken for a
// workflow adds exactly one resource, positioned in the file.
func FuzzParse(f *testing.F) {
	f.Add([]byte(deploy))
	f.Add([]byte("on: [push]\njobs:\n  a:\n    steps: [{uses: x, with: {a: &a [1]}}, *a]\n"))
	// The workflows the CI rules are tested with are the realistic shapes.
	var workflows []string
	filepath.WalkDir("../../builtin/testdata", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasPrefix(filepath.Base(filepath.Dir(p)), "CI-") || strings.Contains(p, ".github/workflows/")) {
			workflows = append(workflows, p)
		}
		return nil
	})
	for _, p := range workflows {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		"\ufeffon: push\njobs:\n  a:\n    runs-on: x\n    steps:\n    - run: \"\x00\"\n",
		"on: push\njobs:\n  a:\n    steps:\n" + strings.Repeat("    - run: "+strings.Repeat("x", 1000)+"\n", 64),
		"on: {push: {branches: " + strings.Repeat("[", 300) + strings.Repeat("]", 300) + "}}\njobs: {}\n",
		"on: push\npermissions: write-all\njobs:\n  a:\n    uses: ./.github/workflows/x.yml@main\n    secrets: inherit\n    with: {a: ${{ github.event.issue.title }}}\n",
		"on: [push, 1, {a: b}]\njobs: [1]\n",
		"on: push\njobs:\n  a: &a\n    needs: [a]\n    steps: [*a]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		defer fuzzing.Watchdog("Parse", len(data))()
		const file = ".github/workflows/f.yml"
		g := graph.New()
		ok, diags := Parse(g, data, file)
		if ok != (g.Len() == 1) {
			t.Fatalf("Parse says %v but added %d resources", ok, g.Len())
		}
		lines := fuzzing.YAMLLines(data)
		for _, d := range diags {
			if d.File != file || d.Line < 0 || d.Line > lines {
				t.Fatalf("diagnostic not in the input (%d lines): %s", lines, d)
			}
		}
		for _, r := range g.Resources() {
			if r.Range.File != file || int(r.Range.Line) > lines {
				t.Fatalf("%s at %+v, outside the input (%d lines)", r.Address, r.Range, lines)
			}
			if b, _ := r.Attrs.MarshalJSON(); !json.Valid(b) {
				t.Fatalf("%s: the graph's JSON form is not JSON: %.200s", r.Address, b)
			}
		}
	})
}
