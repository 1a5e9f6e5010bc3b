package tfhcl

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// moduleDef is the parsed (not evaluated) content of one module directory.
type moduleDef struct {
	dir       string
	vars      map[string]*hclsyntax.Block
	locals    map[string]*hclsyntax.Attribute
	resources []*hclsyntax.Block // resource and data blocks
	calls     []*hclsyntax.Block // module blocks
	outputs   map[string]*hclsyntax.Block
}

// parseModule reads every .tf file of dir. Files that do not parse are
// reported and skipped; the rest of the module is still read.
func parseModule(dir string) (*moduleDef, diag.List) {
	m := &moduleDef{dir: dir, vars: map[string]*hclsyntax.Block{}, locals: map[string]*hclsyntax.Attribute{},
		outputs: map[string]*hclsyntax.Block{}}
	var diags diag.List
	entries, err := os.ReadDir(dir)
	if err != nil {
		return m, diag.List{{Severity: diag.Error, File: dir, Summary: "cannot read module", Detail: err.Error()}}
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && (strings.HasSuffix(e.Name(), ".tf") || strings.HasSuffix(e.Name(), ".tf.json")) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for _, n := range names {
		p := filepath.ToSlash(filepath.Join(dir, n))
		src, err := os.ReadFile(p)
		if err != nil {
			diags = append(diags, diag.Diagnostic{Severity: diag.Error, File: p, Summary: "cannot read", Detail: err.Error()})
			continue
		}
		var body *hclsyntax.Body
		if strings.HasSuffix(n, ".tf.json") {
			b, hd := parseJSONConfig(src, p)
			if hd.HasErrors() {
				diags = append(diags, fromHCL(hd)...)
			}
			if b == nil {
				continue
			}
			body = b
		} else {
			f, hd, deep := parseConfig(src, p)
			if deep != nil {
				diags = append(diags, *deep)
				continue
			}
			if hd.HasErrors() {
				diags = append(diags, fromHCL(hd)...)
				continue
			}
			b, ok := f.Body.(*hclsyntax.Body)
			if !ok {
				continue
			}
			body = b
		}
		for _, b := range body.Blocks {
			switch b.Type {
			case "variable":
				if len(b.Labels) == 1 {
					m.vars[b.Labels[0]] = b
				}
			case "locals":
				for name, a := range b.Body.Attributes {
					m.locals[name] = a
				}
			case "resource", "data":
				if len(b.Labels) == 2 {
					m.resources = append(m.resources, b)
				}
			case "module":
				if len(b.Labels) == 1 {
					m.calls = append(m.calls, b)
				}
			case "output":
				if len(b.Labels) == 1 {
					m.outputs[b.Labels[0]] = b
				}
			}
		}
	}
	return m, diags
}

func fromHCL(hd hcl.Diagnostics) diag.List {
	var out diag.List
	for _, d := range hd {
		if d.Severity != hcl.DiagError {
			continue
		}
		x := diag.Diagnostic{Severity: diag.Error, Summary: d.Summary, Detail: d.Detail}
		if d.Subject != nil {
			x.File, x.Line, x.Column = d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column
		}
		out = append(out, x)
	}
	return out
}

// literalSource returns a module block's source when it is a literal.
func literalSource(b *hclsyntax.Block) string {
	a := b.Body.Attributes["source"]
	if a == nil {
		return ""
	}
	v, d := a.Expr.Value(nil)
	if d.HasErrors() || !v.IsKnown() || v.IsNull() || v.Type().FriendlyName() != "string" {
		return ""
	}
	return v.AsString()
}

func isLocalSource(s string) bool {
	return strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../")
}

// LocalModuleDirs returns the directories dir calls as local modules, so
// the caller can avoid loading them again as root modules.
func LocalModuleDirs(dir string) []string {
	m, _ := parseModule(dir)
	var out []string
	for _, c := range m.calls {
		if s := literalSource(c); isLocalSource(s) {
			out = append(out, filepath.Clean(filepath.Join(dir, s)))
		}
	}
	return out
}

// parseConfig parses HCL native syntax, refusing first a file nested so
// deep that the recursive parser would overflow the stack, which kills the
// process rather than panicking.
func parseConfig(src []byte, file string) (*hcl.File, hcl.Diagnostics, *diag.Diagnostic) {
	if pos, deep := tooDeepToParse(src, file); deep {
		return nil, nil, &diag.Diagnostic{Severity: diag.Error, File: file, Line: pos.Line, Column: pos.Column,
			Summary: "nesting too deep", Detail: fmt.Sprintf("brackets, braces or strings nest more than %d levels; the file is not read", rawMaxDepth)}
	}
	f, hd := hclsyntax.ParseConfig(src, file, hcl.InitialPos)
	return f, hd, nil
}
