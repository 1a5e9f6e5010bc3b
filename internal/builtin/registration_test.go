package builtin

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const rulePkg = "github.com/eksguard/eksguard/internal/rule"

// TestEveryRuleRegistered fails when the package declares a rule that All
// does not return: a rule left out of its family slice (or a family slice
// left out of All) never runs, and no other test would notice, since they
// all start from All.
func TestEveryRuleRegistered(t *testing.T) {
	fset := token.NewFileSet()
	files, err := parseSources(fset, ".")
	if err != nil {
		t.Fatal(err)
	}
	declared, errs := declaredRules(fset, files)
	for _, err := range errs {
		t.Error(err)
	}
	all := All()
	// Reading the sources found nothing is a broken test, not a pass.
	if len(declared) < len(all) {
		t.Errorf("found %d rule literals in the sources but All returns %d rules", len(declared), len(all))
	}
	registered := map[string]bool{}
	for _, r := range all {
		registered[r.ID] = true
	}
	seen := map[string]string{}
	for _, d := range declared {
		if !registered[d.id] {
			t.Errorf("%s: rule %s is declared but All does not return it: add it to its family slice (and the slice to All)", d.pos, d.id)
		}
		if at, dup := seen[d.id]; dup {
			t.Errorf("%s: rule %s is declared again (first at %s)", d.pos, d.id, at)
		}
		seen[d.id] = d.pos
	}
}

// TestDeclaredRulesFindsEveryForm checks the source scan itself on the
// ways Go can declare a rule value, so that TestEveryRuleRegistered
// cannot pass by overlooking one.
func TestDeclaredRulesFindsEveryForm(t *testing.T) {
	const src = `package x

import r "github.com/eksguard/eksguard/internal/rule"

var a = &r.Rule{ID: "A-1", Title: "pointer"}

var (
	b   = r.Rule{ID: "B-1"}
	fam = []*r.Rule{a, {ID: "C-1"}}
	vs  = []r.Rule{{ID: "D-1"}}
	m   = map[string]*r.Rule{"e": {ID: "E-1"}}
)

var two, three = &r.Rule{ID: "F-1"}, &r.Rule{ID: "G-1"}

func mk(id string) *r.Rule { return &r.Rule{ID: id} }

func inner() []*r.Rule {
	return []*r.Rule{&r.Rule{ID: "H-1"}}
}

var noID = &r.Rule{Title: "no id"}

var notRules = []*struct{ ID string }{{ID: "Z-1"}}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	declared, errs := declaredRules(fset, []*ast.File{f})
	var ids []string
	for _, d := range declared {
		ids = append(ids, d.id)
	}
	sort.Strings(ids)
	if got, want := strings.Join(ids, " "), "A-1 B-1 C-1 D-1 E-1 F-1 G-1 H-1"; got != want {
		t.Errorf("ids = %s, want %s", got, want)
	}
	var msgs []string
	for _, err := range errs {
		msgs = append(msgs, err.Error())
	}
	if len(errs) != 2 || !strings.HasPrefix(msgs[0], "x.go:16:") || !strings.HasPrefix(msgs[1], "x.go:22:") {
		t.Errorf("errors = %q, want the rule of mk (no literal id) and noID (no id)", msgs)
	}
}

// parseSources parses the package's Go files, its tests left out: a rule
// a test declares for itself is no built-in rule.
func parseSources(fset *token.FileSet, dir string) ([]*ast.File, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

type declaredRule struct{ id, pos string }

// declaredRules returns every rule.Rule composite literal of the files,
// written out (&rule.Rule{...}, rule.Rule{...}) or elided in a slice or
// map of rules, with its ID. A literal whose ID is not a string literal is
// an error: its id cannot be read from the source, so it could not be
// checked.
func declaredRules(fset *token.FileSet, files []*ast.File) ([]declaredRule, []error) {
	var out []declaredRule
	var errs []error
	for _, f := range files {
		name := ruleImportName(f)
		if name == "" {
			continue
		}
		isRule := func(e ast.Expr) bool {
			if st, ok := e.(*ast.StarExpr); ok {
				e = st.X
			}
			sel, ok := e.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "Rule" {
				return false
			}
			x, ok := sel.X.(*ast.Ident)
			return ok && x.Name == name
		}
		add := func(lit *ast.CompositeLit) {
			pos := fset.Position(lit.Pos()).String()
			id, ok := literalID(lit)
			if !ok {
				errs = append(errs, fmt.Errorf("%s: a rule without a string-literal ID: write the id out so the registration test can check the rule is in All", pos))
				return
			}
			out = append(out, declaredRule{id: id, pos: pos})
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok {
				return true
			}
			if lit.Type != nil && isRule(lit.Type) {
				add(lit)
				return true
			}
			// Elements whose type the slice or map literal gives.
			var elem ast.Expr
			switch t := lit.Type.(type) {
			case *ast.ArrayType:
				elem = t.Elt
			case *ast.MapType:
				elem = t.Value
			}
			if elem == nil || !isRule(elem) {
				return true
			}
			for _, e := range lit.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok {
					e = kv.Value
				}
				if el, ok := e.(*ast.CompositeLit); ok && el.Type == nil {
					add(el)
				}
			}
			return true
		})
	}
	return out, errs
}

// ruleImportName is the name a file gives the rule package, "" when it
// does not import it.
func ruleImportName(f *ast.File) string {
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == rulePkg {
			if imp.Name != nil {
				return imp.Name.Name
			}
			return "rule"
		}
	}
	return ""
}

// literalID is the ID field of a rule literal when it is a string literal.
func literalID(lit *ast.CompositeLit) (string, bool) {
	for _, e := range lit.Elts {
		kv, ok := e.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		if k, ok := kv.Key.(*ast.Ident); !ok || k.Name != "ID" {
			continue
		}
		b, ok := kv.Value.(*ast.BasicLit)
		if !ok || b.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(b.Value)
		return s, err == nil
	}
	return "", false
}
