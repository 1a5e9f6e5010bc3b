package internal_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
)

const module = "github.com/eksguard/eksguard/"

// layer is one step of the pipeline: inputs → front-ends → graph → rules →
// verdicts → report → writers. Its packages may import those of its own
// layer and of the layers it names in imports, and, through them, what
// those may import: the permission is transitive, as dependencies are.
type layer struct {
	name string
	// pkgs are module-relative import paths; "dir/..." is dir and
	// everything below it. A package belongs to the entry that names it
	// most precisely.
	pkgs    []string
	imports []string
}

// layers, lowest first; a layer may name only layers above it in this
// table, so the graph it allows has no cycle. Every package of the module
// must be in exactly one layer: a new package is placed here on purpose.
var layers = []layer{
	{name: "leaf utilities", pkgs: []string{
		"internal/diag", "internal/workpool", "internal/secret", "internal/tri", "internal/severity",
		"internal/glob", "internal/docsection", "internal/spdx", "internal/gzdata", "internal/testutil/...",
	}},
	{name: "graph", pkgs: []string{"internal/graph"},
		imports: []string{"leaf utilities"}},
	// Decoders keep each value's position; front-ends, the IAM engine and
	// the suppressions (inline comments in YAML) read through them.
	{name: "decoders", pkgs: []string{"internal/jsonpos", "internal/yamlpos"},
		imports: []string{"graph"}},
	// Front-ends turn bytes into the graph; an importer of other
	// scanners' reports is a front-end that yields plain records.
	{name: "front-ends", pkgs: []string{"internal/frontend/...", "internal/imports"},
		imports: []string{"decoders"}},
	// The IAM engine reads the graph, not the bytes: it is no front-end's
	// client, and rules call it.
	{name: "IAM engine", pkgs: []string{"internal/iam", "internal/iam/catalog", "internal/iam/managed", "internal/iam/escalate"},
		imports: []string{"decoders"}},
	{name: "rule framework", pkgs: []string{"internal/rule", "internal/rule/fixture"},
		imports: []string{"graph"}},
	// Rules read only the graph: no front-end.
	{name: "rules", pkgs: []string{"internal/builtin", "internal/policy"},
		imports: []string{"rule framework", "IAM engine"}},
	// ruletest loads fixtures through the front-ends for rules' tests.
	// (and attrschema, the provider and CloudFormation schemas the rules'
	// attribute reads are checked against).
	{name: "rule tests", pkgs: []string{"internal/rule/ruletest", "internal/testutil/attrschema"},
		imports: []string{"front-ends", "rule framework"}},
	// Verdicts, suppressions, baseline and gate work on findings, not on
	// the rules that produced them.
	{name: "verdicts", pkgs: []string{"internal/finding", "internal/suppress", "internal/baseline", "internal/gate"},
		imports: []string{"rule framework", "decoders"}},
	{name: "report", pkgs: []string{"internal/report"},
		imports: []string{"verdicts"}},
	// Views the scan derives from the rules and their verdicts.
	{name: "views", pkgs: []string{"internal/compliance"},
		imports: []string{"rules", "report"}},
	{name: "scan", pkgs: []string{"internal/scan"},
		imports: []string{"front-ends", "IAM engine", "rules", "verdicts", "report", "views"}},
	// Writers format the report: no graph walking, no rule registry, no
	// scan.
	{name: "writers", pkgs: []string{"internal/render", "internal/ruledoc"},
		imports: []string{"report"}},
	{name: "cli", pkgs: []string{"internal/cli"},
		imports: []string{"scan", "writers"}},
	{name: "commands", pkgs: []string{
		"cmd/...", "internal/docsection/cmd/...", "internal/spdx/cmd/...", "internal/testutil/iamgen/cmd/...",
		"internal/testutil/k8sgen/cmd/...", "internal/testutil/plangen/cmd/...", "internal/iam/catalog/gen",
		"internal/iam/managed/gen", "internal/testutil/attrschema/gen",
		// CI's own tools (the govulncheck gate) import nothing of ours.
		"scripts/...",
	}, imports: []string{"cli"}},
}

// listedPackage is what go list says of a package.
type listedPackage struct {
	ImportPath string
	GoFiles    []string
	CgoFiles   []string
	Imports    []string
}

// TestLayers fails when a package imports one of a layer its own may not
// reach. Only the code that ships is judged: tests may reach up (a rule's
// test runs the whole scan).
func TestLayers(t *testing.T) {
	pkgs := goList(t)
	if len(pkgs) < 30 {
		t.Fatalf("go list found %d packages; the module has more", len(pkgs))
	}
	for _, err := range checkLayers(layers, pkgs) {
		t.Error(err)
	}
}

// TestLayersCatchBackEdges feeds the checker the back-edges the pipeline
// once had, and a few it must never get, so it is known to reject them
// whatever the code looks like today.
func TestLayersCatchBackEdges(t *testing.T) {
	base := goList(t)
	for _, edge := range [][2]string{
		{"internal/report", "internal/compliance"},
		{"internal/render", "internal/compliance"},
		{"internal/render", "internal/builtin"},
		{"internal/report", "internal/iam/escalate"},
		{"internal/render", "internal/iam/escalate"},
		{"internal/render", "internal/scan"},
		{"internal/scan", "internal/render"},
		{"internal/frontend", "internal/finding"},
		{"internal/imports", "internal/finding"},
		{"internal/imports", "internal/rule"},
		{"internal/frontend/cfn", "internal/rule"},
		{"internal/iam", "internal/rule"},
		{"internal/iam/escalate", "internal/rule"},
		{"internal/suppress", "internal/iam"},
		{"internal/builtin", "internal/frontend"},
		{"internal/graph", "internal/rule"},
		{"internal/finding", "internal/builtin"},
		{"internal/tri", "internal/graph"},
	} {
		pkgs := slices.Clone(base)
		i := slices.IndexFunc(pkgs, func(p listedPackage) bool { return p.ImportPath == module+edge[0] })
		if i < 0 {
			t.Errorf("no package %s", edge[0])
			continue
		}
		pkgs[i].Imports = append(slices.Clone(pkgs[i].Imports), module+edge[1])
		errs := checkLayers(layers, pkgs)
		if len(errs) != 1 || !strings.Contains(errs[0].Error(), edge[0]+" imports "+edge[1]) {
			t.Errorf("%s → %s: got %v, want that one error", edge[0], edge[1], errs)
		}
	}
}

// TestLayersNeedEveryPackage: a package the table does not place, or a
// table entry no package matches, is an error too.
func TestLayersNeedEveryPackage(t *testing.T) {
	pkgs := append(goList(t), listedPackage{ImportPath: module + "internal/newthing", GoFiles: []string{"x.go"}})
	errs := checkLayers(layers, pkgs)
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "internal/newthing is in no layer") {
		t.Errorf("unplaced package: %v", errs)
	}
	extra := slices.Clone(layers)
	extra[0].pkgs = append(slices.Clone(extra[0].pkgs), "internal/gone")
	errs = checkLayers(extra, goList(t))
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "internal/gone") {
		t.Errorf("stale entry: %v", errs)
	}
}

// checkLayers returns every import that leaves the layers its package may
// reach, every package in no layer, and every table entry that matches
// no package.
func checkLayers(table []layer, pkgs []listedPackage) []error {
	var errs []error
	rank := map[string]int{}
	for i, l := range table {
		rank[l.name] = i
	}
	// reach[i] holds the layers layer i may import, itself included.
	reach := make([]map[int]bool, len(table))
	for i, l := range table {
		reach[i] = map[int]bool{i: true}
		for _, n := range l.imports {
			j, ok := rank[n]
			if !ok || j >= i {
				errs = append(errs, fmt.Errorf("layer %q may import %q, which is not a layer below it", l.name, n))
				continue
			}
			for k := range reach[j] {
				reach[i][k] = true
			}
		}
	}
	used := map[string]bool{}
	layerOf := map[string]int{}
	var shipped []listedPackage
	for _, p := range pkgs {
		rel, ok := strings.CutPrefix(p.ImportPath, module)
		if !ok || len(p.GoFiles)+len(p.CgoFiles) == 0 {
			// Test-only directories (this one) ship nothing.
			continue
		}
		i, entry := place(table, rel)
		if i < 0 {
			errs = append(errs, fmt.Errorf("%s is in no layer: add it to the table in internal/layers_test.go", rel))
			continue
		}
		used[entry] = true
		layerOf[rel] = i
		shipped = append(shipped, p)
	}
	for _, p := range shipped {
		rel := strings.TrimPrefix(p.ImportPath, module)
		from := layerOf[rel]
		for _, imp := range p.Imports {
			dep, ok := strings.CutPrefix(imp, module)
			if !ok {
				continue
			}
			to, placed := layerOf[dep]
			if placed && !reach[from][to] {
				errs = append(errs, fmt.Errorf("%s imports %s: layer %q may not reach layer %q", rel, dep, table[from].name, table[to].name))
			}
		}
	}
	for _, l := range table {
		for _, e := range l.pkgs {
			if !used[e] {
				errs = append(errs, fmt.Errorf("layer %q names %s, which matches no package", l.name, e))
			}
		}
	}
	return errs
}

// place returns the layer of a module-relative package path and the
// entry that put it there: an exact entry, else the longest "dir/..." one.
func place(table []layer, rel string) (int, string) {
	best, entry := -1, ""
	for i, l := range table {
		for _, e := range l.pkgs {
			dir, tree := strings.CutSuffix(e, "/...")
			switch {
			case !tree && e == rel:
				return i, e
			case tree && (rel == dir || strings.HasPrefix(rel, dir+"/")) && len(e) > len(entry):
				best, entry = i, e
			}
		}
	}
	return best, entry
}

// goList lists the module's packages, each with its direct imports (the
// shipped files' only: -test is not given), once for all the tests.
func goList(t *testing.T) []listedPackage {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH")
	}
	pkgs, err := listed()
	if err != nil {
		t.Fatal(err)
	}
	return slices.Clone(pkgs)
}

var listed = sync.OnceValues(func() ([]listedPackage, error) {
	cmd := exec.Command("go", "list", "-json=ImportPath,GoFiles,CgoFiles,Imports", "./...")
	cmd.Dir = ".."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %v\n%s", err, stderr.Bytes())
	}
	var pkgs []listedPackage
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listedPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].ImportPath < pkgs[j].ImportPath })
	return pkgs, nil
})
