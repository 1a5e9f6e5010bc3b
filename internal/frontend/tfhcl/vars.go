package tfhcl

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/frontend/tfhcl/hclguard"
	"github.com/eksguard/eksguard/internal/frontend/tfhcl/tfmark"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/jsonpos"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// varDef is a variable block as Terraform decodes it: its type constraint
// with the optional() attribute defaults, its default converted to that
// type, and whether null is allowed.
type varDef struct {
	b        *hclsyntax.Block
	typ      cty.Type
	defaults *typeexpr.Defaults
	// def is the converted default; hasDefault tells a default of null
	// from none.
	def        cty.Value
	hasDefault bool
	nullable   bool
	sensitive  bool
	// literal is Terraform's parsing mode for -var values: a variable of
	// primitive (or no) type takes the raw string, any other is parsed as
	// an HCL expression.
	literal bool
}

// parseVariable decodes a variable block as Terraform's configuration
// loader does.
func parseVariable(b *hclsyntax.Block) (*varDef, diag.List) {
	vd := &varDef{b: b, typ: cty.DynamicPseudoType, nullable: true, literal: true}
	var diags diag.List
	if a := b.Body.Attributes["type"]; a != nil {
		expr := typeExpr(a.Expr)
		switch hcl.ExprAsKeyword(expr) {
		// Terraform still reads the pre-0.12 bare keywords.
		case "list":
			vd.typ = cty.List(cty.DynamicPseudoType)
		case "map":
			vd.typ = cty.Map(cty.DynamicPseudoType)
		default:
			ty, defaults, hd := typeexpr.TypeConstraintWithDefaults(expr)
			if hd.HasErrors() {
				diags = append(diags, warnHCL(hd)...)
				ty, defaults = cty.DynamicPseudoType, nil
			}
			vd.typ, vd.defaults = ty, defaults
		}
		vd.literal = vd.typ.IsPrimitiveType()
	}
	if a := b.Body.Attributes["nullable"]; a != nil {
		if v, d := a.Expr.Value(nil); !d.HasErrors() && v.IsKnown() && v.Type() == cty.Bool && !v.IsNull() {
			vd.nullable = v.True()
		}
	}
	if a := b.Body.Attributes["sensitive"]; a != nil {
		if v, d := a.Expr.Value(nil); !d.HasErrors() && v.IsKnown() && v.Type() == cty.Bool && !v.IsNull() {
			vd.sensitive = v.True()
		}
	}
	if a := b.Body.Attributes["default"]; a != nil {
		v, d := a.Expr.Value(nil)
		if d.HasErrors() {
			diags = append(diags, warnHCL(d)...)
			v = tfmark.Unknown(cty.DynamicPseudoType, "the default of var."+b.Labels[0]+" cannot be evaluated")
		}
		vd.hasDefault = true
		if vd.defaults != nil && !v.IsNull() {
			v = vd.defaults.Apply(v)
		}
		cv, err := convert.Convert(v, vd.typ)
		if err != nil {
			rng := rangeOf(a.Expr.Range())
			diags = append(diags, diag.Diagnostic{Severity: diag.Warning, File: rng.File, Line: int(rng.Line), Column: int(rng.Column),
				Summary: "invalid default for var." + b.Labels[0], Detail: err.Error()})
			cv = tfmark.Unknown(vd.typ, "the default of var."+b.Labels[0]+" does not match its type")
		}
		vd.def = cv
	}
	return vd, diags
}

// typeExpr reads the type argument of a .tf.json variable, where it is a
// string holding the type expression, as Terraform does.
func typeExpr(expr hcl.Expression) hcl.Expression {
	t, ok := expr.(*hclsyntax.TemplateExpr)
	if !ok || !t.IsStringLiteral() {
		return expr
	}
	v, d := t.Value(nil)
	if d.HasErrors() {
		return expr
	}
	e, d := hclguard.ParseExpression([]byte(v.AsString()), t.SrcRange.Filename, t.SrcRange.Start, "the type")
	if d.HasErrors() {
		return expr
	}
	return e
}

// finalValue turns what a caller gave for a variable into what the module
// sees, in Terraform's order: an absent argument takes the default; null
// takes the default only where the variable is not nullable; then the
// optional() defaults apply and the value is converted to the type.
// set reports whether the caller gave the argument at all; unset says why
// a variable with neither argument nor default is unknown.
func (vd *varDef) finalValue(name string, given cty.Value, set bool, where hcl.Range, unset string, diags *diag.List) cty.Value {
	switch {
	case !set && vd.hasDefault:
		given = vd.def
	case !set:
		given = tfmark.Unknown(vd.typ, unset)
	case given.IsNull() && !vd.nullable && vd.hasDefault:
		given = vd.def
	}
	if vd.defaults != nil && !given.IsNull() {
		given = vd.defaults.Apply(given)
	}
	v, err := convert.Convert(given, vd.typ)
	if err != nil {
		rng := rangeOf(where)
		*diags = append(*diags, diag.Diagnostic{Severity: diag.Warning, File: rng.File, Line: int(rng.Line), Column: int(rng.Column),
			Summary: "invalid value for var." + name, Detail: err.Error()})
		v = tfmark.Unknown(vd.typ, "the value given for var."+name+" does not match its type")
	}
	if vd.sensitive {
		v = v.Mark(tfmark.Sensitive)
	}
	return v
}

// rootValue is what the root module's caller (the user) gave for one
// variable, and where.
type rootValue struct {
	v     cty.Value
	where hcl.Range
}

// rootValues reads the root module's variable values in Terraform's order
// of precedence: terraform.tfvars, terraform.tfvars.json, *.auto.tfvars
// and *.auto.tfvars.json in lexical order, --var-file, then --var.
func (l *loader) rootValues(def *moduleDef) map[string]rootValue {
	vals := map[string]rootValue{}
	files := []string{filepath.Join(def.dir, "terraform.tfvars"), filepath.Join(def.dir, "terraform.tfvars.json")}
	auto, _ := filepath.Glob(filepath.Join(def.dir, "*.auto.tfvars"))
	autoJSON, _ := filepath.Glob(filepath.Join(def.dir, "*.auto.tfvars.json"))
	auto = append(auto, autoJSON...)
	sort.Strings(auto)
	files = append(files, auto...)
	files = append(files, l.opts.VarFiles...)
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			if !os.IsNotExist(err) || contains(l.opts.VarFiles, f) {
				l.diags = append(l.diags, diag.Diagnostic{Severity: diag.Error, File: f, Summary: "cannot read variables file", Detail: err.Error()})
			}
			continue
		}
		exprs, ds := l.cache.varsFile(src, f)
		l.diags = append(l.diags, ds...)
		names := make([]string, 0, len(exprs))
		for name := range exprs {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			e := exprs[name]
			v, d := e.Value(nil)
			if d.HasErrors() {
				l.diags = append(l.diags, warnHCL(d)...)
				v = tfmark.Unknown(cty.DynamicPseudoType, "the value of "+name+" in "+filepath.Base(f)+" cannot be evaluated")
			}
			vals[name] = rootValue{v: v, where: e.Range()}
		}
	}
	names := make([]string, 0, len(l.opts.Vars))
	for k := range l.opts.Vars {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		raw := l.opts.Vars[k]
		where := hcl.Range{Filename: "--var " + k}
		if vd := def.vars[k]; vd == nil || vd.literal {
			vals[k] = rootValue{v: cty.StringVal(raw), where: where}
			continue
		}
		expr, d := hclguard.ParseExpression([]byte(raw), "--var "+k, hcl.InitialPos, "the value")
		if d.HasErrors() {
			l.diags = append(l.diags, warnHCL(d)...)
			vals[k] = rootValue{v: tfmark.Unknown(cty.DynamicPseudoType, "--var "+k+" is not a valid expression"), where: where}
			continue
		}
		v, d := expr.Value(nil)
		if d.HasErrors() {
			l.diags = append(l.diags, warnHCL(d)...)
			v = tfmark.Unknown(cty.DynamicPseudoType, "--var "+k+" cannot be evaluated")
		}
		vals[k] = rootValue{v: v, where: where}
	}
	return vals
}

// warnHCL keeps HCL's errors as warnings with their position: they make a
// value unknown, not the input unreadable.
func warnHCL(hd hcl.Diagnostics) diag.List {
	out := fromHCL(hd)
	for i := range out {
		out[i].Severity = diag.Warning
	}
	return out
}

// varsFile parses a variables file: HCL, or JSON when its name ends in
// .json, as Terraform tells them. A file that does not parse sets nothing.
func varsFile(src []byte, path string) (map[string]hcl.Expression, diag.List) {
	name := filepath.ToSlash(path)
	exprs := map[string]hcl.Expression{}
	if strings.HasSuffix(path, ".json") {
		root, err := jsonpos.Parse(src, name)
		if err != nil {
			var d diag.Diagnostic
			if !errors.As(err, &d) {
				d = diag.Diagnostic{Severity: diag.Error, File: name, Summary: "invalid JSON", Detail: err.Error()}
			}
			return nil, diag.List{d}
		}
		if root.Kind != graph.Map {
			return nil, diag.List{{Severity: diag.Error, File: name, Line: int(root.Range.Line), Column: int(root.Range.Column),
				Summary: "a JSON variables file must hold an object"}}
		}
		c := &jsonConv{file: name}
		for _, k := range root.Keys() {
			v := root.Map.Get(k)
			exprs[k] = &hclsyntax.LiteralValueExpr{Val: jsonLiteral(v), SrcRange: c.rng(v)}
		}
		return exprs, nil
	}
	file, hd, deep := parseConfig(src, name)
	if deep != nil {
		return nil, diag.List{*deep}
	}
	if hd.HasErrors() {
		return nil, fromHCL(hd)
	}
	attrs, _ := file.Body.JustAttributes()
	for k, a := range attrs {
		exprs[k] = a.Expr
	}
	return exprs, nil
}

// VarFileNames lists the variables a variables file sets; a file that
// cannot be read or parsed sets none here (evaluating a root module
// reports it).
func (c *Cache) VarFileNames(path string) []string {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	exprs, _ := c.varsFile(src, path)
	names := make([]string, 0, len(exprs))
	for k := range exprs {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// jsonLiteral is a JSON value as Terraform reads it from a JSON variables
// file: evaluated with no context, so a string is itself, never a
// template ("${x}" stays as written).
func jsonLiteral(v *graph.Value) cty.Value {
	switch v.Kind {
	case graph.String:
		return cty.StringVal(v.Str)
	case graph.Number:
		return cty.NumberFloatVal(v.Num())
	case graph.Bool:
		return cty.BoolVal(v.Bool)
	case graph.List:
		if len(v.List) == 0 {
			return cty.EmptyTupleVal
		}
		items := make([]cty.Value, len(v.List))
		for i, e := range v.List {
			items[i] = jsonLiteral(e)
		}
		return cty.TupleVal(items)
	case graph.Map:
		if v.Map.Len() == 0 {
			return cty.EmptyObjectVal
		}
		attrs := make(map[string]cty.Value, v.Map.Len())
		for k, e := range v.Map.All() {
			attrs[k] = jsonLiteral(e)
		}
		return cty.ObjectVal(attrs)
	}
	return cty.NullVal(cty.DynamicPseudoType)
}
