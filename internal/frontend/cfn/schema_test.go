package cfn

// The CloudFormation mapping's schema test. It checks the mapping against
// the CloudFormation resource specification (SAM's types included) and the
// Terraform AWS provider's schema, both checked in under
// internal/testutil/attrschema (whose package comment says how to
// regenerate them):
//
//   - every property path the spec tables rename (specs[...].rules), and
//     every PascalCase property name the build functions read, exists in
//     CloudFormation;
//   - every Terraform type the mapping names (specs, typeNames) exists in
//     the provider, every CloudFormation type it names exists, and every
//     attribute numberAttrs makes a number is one in the provider;
//   - a template setting every property the specification lists, at every
//     depth, of every listed CloudFormation type (those mapped to a type
//     the rules or the mapping name) is loaded, and every attribute the
//     mapping names deliberately (a spec table's rename, a build
//     function's attribute, a synthesised resource) must exist in the
//     provider. A property's automatic snake_case name may not: most
//     CloudFormation properties Terraform lacks or shapes otherwise are
//     read by no rule. Those a rule does read are checked by
//     internal/builtin/attrschema_test.go, which fails when a rule reads
//     an attribute no property becomes.

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/testutil/attrschema"
)

func TestSchemaSpecTables(t *testing.T) {
	cf, tf := attrschema.CloudFormation(), attrschema.Terraform()
	for _, typ := range sortedKeys(specs) {
		sp := specs[typ]
		if !cf.Has(typ) {
			t.Errorf("specs: %s is not a CloudFormation resource type (%s)", typ, cf.Source)
			continue
		}
		if sp.tf != "" && !tf.Has(sp.tf) {
			t.Errorf("specs: %s maps to %s, which the provider does not have (%s)", typ, sp.tf, tf.Source)
		}
		for _, p := range sortedKeys(sp.rules) {
			if _, ok, why := cf.Resolve(typ, strings.Split(p, ".")); !ok {
				t.Errorf("specs[%q].rules renames %s, which CloudFormation does not have: %s", typ, p, why)
			}
		}
	}
	for _, typ := range sortedKeys(typeNames) {
		if !cf.Has(typ) {
			t.Errorf("typeNames: %s is not a CloudFormation resource type", typ)
		}
		if !tf.Has(typeNames[typ]) {
			t.Errorf("typeNames: %s maps to %s, which the provider does not have", typ, typeNames[typ])
		}
	}
	numeric := map[string]bool{}
	for _, typ := range tf.Types() {
		for p, k := range tf.Paths(typ) {
			if k == "number" {
				numeric[p[strings.LastIndexByte(p, '.')+1:]] = true
			}
		}
	}
	for _, k := range sortedKeys(numberAttrs) {
		if !numeric[k] {
			t.Errorf("numberAttrs: %s is a number attribute of no Terraform type in the list", k)
		}
	}
}

// cfnPropertyNames is every property name, at any depth, of the listed
// CloudFormation types.
func cfnPropertyNames(cf *attrschema.Schema) map[string]bool {
	names := map[string]bool{}
	for _, typ := range cf.Types() {
		for p := range cf.Paths(typ) {
			for _, s := range strings.Split(p, ".") {
				names[s] = true
			}
		}
	}
	return names
}

// TestSchemaBuildLiterals reads mapping.go and checks that every
// PascalCase string the build functions read a property with (take, get,
// nameRef, convert, Get, x.Map.Get("...")) is a property of some mapped type:
// a misspelt one would never match and leave the property to the
// automatic mapping.
func TestSchemaBuildLiterals(t *testing.T) {
	names := cfnPropertyNames(attrschema.CloudFormation())
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "mapping.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	check := func(lit *ast.BasicLit) {
		s, err := strconv.Unquote(lit.Value)
		if err != nil || !pascal(s) {
			return
		}
		if !names[s] {
			t.Errorf("%s: the mapping reads property %q, which no mapped CloudFormation type has", fset.Position(lit.Pos()), s)
		}
	}
	n := 0
	ast.Inspect(f, func(node ast.Node) bool {
		switch x := node.(type) {
		case *ast.CallExpr:
			sel, ok := x.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			switch sel.Sel.Name {
			case "take", "get", "nameRef", "convert", "Get":
				for _, a := range x.Args {
					if lit, ok := a.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						n++
						check(lit)
					}
				}
			}
		case *ast.IndexExpr:
			if sel, ok := x.X.(*ast.SelectorExpr); ok && sel.Sel.Name == "Map" {
				if lit, ok := x.Index.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					n++
					check(lit)
				}
			}
		}
		return true
	})
	if n < 20 {
		t.Fatalf("found %d property reads in mapping.go; has the builder API changed?", n)
	}
}

func TestSchemaMappedAttributes(t *testing.T) {
	cf, tf := attrschema.CloudFormation(), attrschema.Terraform()
	tmpl, where := cf.Template(cf.Types(), nil)
	g := graph.New()
	for _, d := range Load(g, tmpl, "synth.yaml", Options{}) {
		if d.Summary == "internal error reading CloudFormation template" {
			t.Fatalf("%s: %s", d.Summary, d.Detail)
		}
	}
	bad := map[string][]string{}
	automatic, mismatch, unattributed := 0, 0, 0
	for _, r := range g.Resources() {
		if !strings.HasPrefix(r.Type, "aws_") {
			continue
		}
		key := r.Type
		if r.Mode == graph.Data {
			key = "data." + r.Type
		}
		if !tf.Has(key) {
			t.Errorf("%s (%s) becomes %s, which the provider does not have", r.Address, where[int(r.Attrs.Range.Line)], key)
			continue
		}
		walkValues(r.Attrs, nil, 0, func(steps []string, v *graph.Value, parentLine int32) bool {
			src := where[int(v.Range.Line)]
			if _, ok, why := tf.Resolve(key, steps); !ok {
				_, prop, _ := strings.Cut(src, " ")
				name, last := steps[len(steps)-1], prop[strings.LastIndexByte(prop, '.')+1:]
				switch {
				case prop == "":
					// Made by the mapping from no one property (a SAM
					// function's code from InlineCode).
					unattributed++
				case v.Range.Line == parentLine:
					// A user key of a map or JSON value where Terraform
					// has a string or a block: the shapes differ.
					mismatch++
				case prop != "" && name == snake(last):
					// The automatic name of a property Terraform has no
					// attribute for (or names otherwise, with no rule
					// reading it yet).
					automatic++
				default:
					bad[src] = append(bad[src], fmt.Sprintf("%s.%s (%s)", key, strings.Join(steps, "."), why))
				}
				return false
			}
			return true
		})
	}
	for _, src := range sortedKeys(bad) {
		t.Errorf("the mapping names CloudFormation %s %s", src, strings.Join(dedup(bad[src]), ", "))
	}
	t.Logf("%d automatic (snake_case) names of CloudFormation properties are not Terraform attributes, and %d "+
		"properties are objects where Terraform has a string; the rules' schema test (internal/builtin) fails "+
		"for those a rule reads; %d values made from no one property are not Terraform attributes", automatic, mismatch, unattributed)
}

// walkValues calls f for every value below v with its path (list indexes
// left out) and the line of the map holding it, and descends where f
// says.
func walkValues(v *graph.Value, steps []string, parentLine int32, f func([]string, *graph.Value, int32) bool) {
	if len(steps) > 0 && !f(steps, v, parentLine) {
		return
	}
	switch v.Kind {
	case graph.Map:
		for k, e := range v.Map.All() {
			walkValues(e, append(steps[:len(steps):len(steps)], k), v.Range.Line, f)
		}
	case graph.List:
		for _, e := range v.List {
			if e.Kind == graph.Map || e.Kind == graph.List {
				walkValues(e, steps, parentLine, f)
			}
		}
	}
}

func dedup(s []string) []string {
	sort.Strings(s)
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
