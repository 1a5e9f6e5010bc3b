package tffunc

import (
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/eksguard/eksguard/internal/frontend/tfhcl/hclguard"
	"github.com/eksguard/eksguard/internal/frontend/tfhcl/tfmark"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/customdecode"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
)

// varsParam sees marks so that a template using only plain variables does
// not inherit the unknown-reasons of variables it never reads; render
// applies Terraform's rule for sensitivity itself.
var varsParam = function.Parameter{Name: "vars", Type: cty.DynamicPseudoType, AllowMarked: true, AllowUnknown: true}

// render evaluates a parsed template with vars as its only variables.
func render(expr hclsyntax.Expression, vars cty.Value, funcs map[string]function.Function) (cty.Value, error) {
	v, topMarks := vars.Unmark()
	if v.Type() == cty.DynamicPseudoType {
		return cty.DynamicVal.WithMarks(topMarks), nil
	}
	if ty := v.Type(); !ty.IsMapType() && !ty.IsObjectType() {
		return cty.NilVal, function.NewArgErrorf(1, "invalid vars value: must be a map or an object")
	}
	if !v.IsKnown() {
		return cty.DynamicVal.WithMarks(topMarks), nil
	}
	if v.IsNull() {
		return cty.NilVal, function.NewArgErrorf(1, "invalid vars value: must not be null")
	}
	// A map with an unknown key set has no names to offer the template.
	if !v.Type().IsObjectType() && !v.Length().IsKnown() {
		return cty.DynamicVal.WithMarks(topMarks), nil
	}
	vm := v.AsValueMap()
	for name := range vm {
		if !hclsyntax.ValidIdentifier(name) {
			return cty.NilVal, function.NewArgErrorf(1, "invalid template variable name %q: must start with a letter, followed by zero or more letters, digits, and underscores", name)
		}
	}
	for _, t := range expr.Variables() {
		if _, ok := vm[t.RootName()]; !ok {
			return cty.NilVal, function.NewArgErrorf(1, "vars map does not contain key %q, referenced at %s", t.RootName(), t[0].SourceRange())
		}
	}
	out, diags := expr.Value(&hcl.EvalContext{Variables: vm, Functions: funcs})
	if diags.HasErrors() {
		return cty.NilVal, errors.New(diags.Error())
	}
	if out.IsNull() {
		return cty.NilVal, errors.New("the template's result is null")
	}
	// Terraform does not let vars' marks through one by one: any sensitive
	// value in vars makes the whole result sensitive.
	if _, deep := vars.UnmarkDeep(); hasMark(deep, tfmark.Sensitive) {
		out = out.Mark(tfmark.Sensitive)
	}
	return out.WithMarks(topMarks), nil
}

// templateFileFunc renders a template file. The result is whatever the
// template produces: a template that is a single interpolation returns
// that value unconverted, as in Terraform.
func (l *Library) templateFileFunc(funcs map[string]function.Function) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{str("path"), varsParam},
		Type:   function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p := args[0].AsString()
			if u, home, err := inHome(p, cty.DynamicPseudoType, "templatefile("+strconv.Quote(p)+", ...)"); home || err != nil {
				return u, err
			}
			loc, err := l.locate(p)
			if err != nil {
				return cty.NilVal, function.NewArgError(0, err)
			}
			b, err := l.readFile(p)
			if err != nil {
				return cty.NilVal, function.NewArgError(0, err)
			}
			if !utf8.Valid(b) {
				return cty.NilVal, function.NewArgErrorf(0, "contents of %s are not valid UTF-8", loc.rel)
			}
			expr, diags := hclguard.ParseTemplate(b, loc.rel, hcl.InitialPos, "the template")
			if diags.HasErrors() {
				return cty.NilVal, function.NewArgErrorf(0, "invalid template: %s", diags.Error())
			}
			return render(expr, args[1], funcs)
		},
	})
}

// templateStringFunc takes its template as an expression, not a value,
// because Terraform accepts only a reference to a string defined elsewhere
// (local.tmpl, var.x["k"]): an inline template should simply be written
// as a template.
func templateStringFunc(funcs map[string]function.Function) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "template", Type: customdecode.ExpressionClosureType}, varsParam},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			closure := customdecode.ExpressionClosureFromVal(args[0])
			if err := checkTemplateRef(closure.Expression); err != nil {
				return cty.NilVal, function.NewArgError(0, err)
			}
			tv, diags := closure.Value()
			if diags.HasErrors() {
				return cty.NilVal, function.NewArgErrorf(0, "invalid template expression: %s", diags.Error())
			}
			tv, marks := tv.Unmark()
			if !tv.IsKnown() {
				return cty.UnknownVal(cty.String).WithMarks(marks), nil
			}
			if tv.Type() != cty.String || tv.IsNull() {
				return cty.NilVal, function.NewArgErrorf(0, "invalid template value: a string is required")
			}
			expr, diags := hclguard.ParseTemplate([]byte(tv.AsString()), "<templatestring argument>", hcl.InitialPos, "the template")
			if diags.HasErrors() {
				return cty.NilVal, function.NewArgErrorf(0, "invalid template: %s", diags.Error())
			}
			out, err := render(expr, args[1], funcs)
			if err != nil {
				return cty.NilVal, err
			}
			s, err := convert.Convert(out, cty.String)
			if err != nil {
				return cty.NilVal, fmt.Errorf("invalid template result: %s", err)
			}
			return s.WithMarks(marks), nil
		},
	})
}

func checkTemplateRef(e hcl.Expression) error {
	switch e := e.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		return nil
	case *hclsyntax.RelativeTraversalExpr:
		return checkTemplateRef(e.Source)
	case *hclsyntax.IndexExpr:
		return checkTemplateRef(e.Collection)
	case *hclsyntax.SplatExpr:
		return checkTemplateRef(e.Source)
	case *hclsyntax.TemplateWrapExpr:
		return errors.New("invalid template expression: templatestring renders a template stored elsewhere; write the reference without the ${ } around it")
	case *hclsyntax.TemplateExpr:
		return errors.New("invalid template expression: templatestring renders a template stored elsewhere; an inline template is written as a plain string template instead")
	}
	return errors.New("invalid template expression: must be a direct reference to a single string from elsewhere, containing valid Terraform template syntax")
}

func hasMark(marks cty.ValueMarks, m any) bool {
	_, ok := marks[m]
	return ok
}
