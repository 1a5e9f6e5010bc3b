package tffunc

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2/ext/customdecode"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// try and can behave as Terraform's (hcl's ext/tryfunc), with one
// difference: where an argument is not wholly known and the result is
// therefore unknown, the result keeps that argument's marks. tryfunc drops
// them, and with them the reason eksguard gives for the unknown (the
// terraform-aws-modules code wraps nearly every computed reference in
// try()).
var tryFunc = function.New(&function.Spec{
	VarParam: &function.Parameter{Name: "expressions", Type: customdecode.ExpressionClosureType},
	Type: func(args []cty.Value) (cty.Type, error) {
		v, err := try(args)
		if err != nil {
			return cty.NilType, err
		}
		return v.Type(), nil
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) { return try(args) },
})

var canFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "expression", Type: customdecode.ExpressionClosureType}},
	Type:   function.StaticReturnType(cty.Bool),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v, diags := customdecode.ExpressionClosureFromVal(args[0]).Value()
		if diags.HasErrors() {
			return cty.False, nil
		}
		if !v.IsWhollyKnown() {
			// A later index may still fail once the value is known.
			return cty.UnknownVal(cty.Bool).WithMarks(deepMarks(v)), nil
		}
		return cty.True, nil
	},
})

func try(args []cty.Value) (cty.Value, error) {
	if len(args) == 0 {
		return cty.NilVal, errors.New("at least one argument is required")
	}
	var failures []string
	for _, arg := range args {
		v, diags := customdecode.ExpressionClosureFromVal(arg).Value()
		if diags.HasErrors() {
			for _, d := range diags {
				failures = append(failures, d.Summary)
			}
			continue
		}
		if !v.IsWhollyKnown() {
			// Which argument succeeds may change once the value is known,
			// and so may the type: the result is unknown, as in Terraform.
			return cty.DynamicVal.WithMarks(deepMarks(v)), nil
		}
		return v, nil
	}
	return cty.NilVal, fmt.Errorf("no expression succeeded: %s", strings.Join(failures, "; "))
}

func deepMarks(v cty.Value) cty.ValueMarks {
	_, marks := v.UnmarkDeep()
	return marks
}
