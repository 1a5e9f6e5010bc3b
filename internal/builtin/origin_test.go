package builtin

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strings"
	"testing"
)

// TestRulesIgnoreOrigin enforces the architecture rule that a check never
// branches on the format a resource came from: no rule source may read
// Resource.Origin.
func TestRulesIgnoreOrigin(t *testing.T) {
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, e.Name(), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "Origin" {
				t.Errorf("%s: a rule reads .Origin; rules must not depend on the input format", fset.Position(sel.Pos()))
			}
			return true
		})
	}
}
