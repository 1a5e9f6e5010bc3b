package tfhcl

import (
	"fmt"
	"time"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/frontend/tfhcl/tfmark"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// Limits bound what one root module may cost, so a hostile or generated
// configuration ends in seconds with bounded memory. Zero means the
// default. The defaults are far above what the public registry modules
// need: terraform-aws-eks v21's largest test has 207 resources and 16
// module instances, and no expression of it, of eks-blueprints-addons or of
// the vpc module takes 200 evaluation steps.
type Limits struct {
	// Instances caps the count or for_each of one block (--max-instances).
	Instances int
	// ModuleInstances caps the module instances of a root module
	// (--max-module-instances).
	ModuleInstances int
	// Resources caps the resource and data source instances of a root
	// module (--max-resources).
	Resources int
	// Steps caps the work of one expression: each function call counts one
	// step and one per element of what it returns (range(1000) is 1,001),
	// the measure of what nested for expressions build (--max-eval-steps).
	Steps int
	// Time caps the evaluation of a root module (--max-eval-time).
	Time time.Duration
	// Deadline, when set, ends every root module's evaluation by then (the
	// run's budget).
	Deadline time.Time
}

// Default limits.
const (
	DefaultInstances       = 10000
	DefaultModuleInstances = 10000
	DefaultResources       = 200000
	DefaultSteps           = 100000
	DefaultTime            = 60 * time.Second
)

func (lim Limits) withDefaults() Limits {
	if lim.Instances <= 0 {
		lim.Instances = DefaultInstances
	}
	if lim.ModuleInstances <= 0 {
		lim.ModuleInstances = DefaultModuleInstances
	}
	if lim.Resources <= 0 {
		lim.Resources = DefaultResources
	}
	if lim.Steps <= 0 {
		lim.Steps = DefaultSteps
	}
	if lim.Time <= 0 {
		lim.Time = DefaultTime
	}
	return lim
}

// budget is what is left of the limits while one root module is read.
type budget struct {
	lim             Limits
	deadline        time.Time
	moduleInstances int
	resources       int
	// steps and over are the current expression's: an expression over its
	// steps is unknown with over as the reason, the next starts afresh.
	steps int
	over  string
	// spent names the time limit once it has run out: from then on every
	// value still to evaluate is unknown with that reason.
	spent string
}

func newBudget(lim Limits) *budget {
	lim = lim.withDefaults()
	b := &budget{lim: lim, deadline: time.Now().Add(lim.Time)}
	if !lim.Deadline.IsZero() && lim.Deadline.Before(b.deadline) {
		b.deadline = lim.Deadline
	}
	return b
}

// exhausted reports whether the time budget has run out, checking the
// clock.
func (b *budget) exhausted() bool {
	if b.spent == "" && time.Now().After(b.deadline) {
		b.spent = fmt.Sprintf("the evaluation of this root module took longer than %s (--max-eval-time)", b.lim.Time)
	}
	return b.spent != ""
}

// stopped is why the current expression must stop, or "".
func (b *budget) stopped() string {
	if b.exhausted() {
		return b.spent
	}
	return b.over
}

// spend counts the current expression's steps.
func (b *budget) spend(n int) {
	b.steps += n
	if b.over == "" && b.steps > b.lim.Steps {
		b.over = fmt.Sprintf("this expression takes more than %d evaluation steps (--max-eval-steps)", b.lim.Steps)
	}
}

// expression starts the budget of one expression; the returned function
// ends it, restoring the enclosing one's.
func (b *budget) expression() func() {
	steps, over := b.steps, b.over
	b.steps, b.over = 0, ""
	return func() { b.steps, b.over = steps, over }
}

// metered wraps a function so each call spends steps, and once the budget
// is spent returns an unknown saying so instead of running: a nested for
// over range() then stops building after the budget, since a for over an
// unknown collection is unknown at once.
func (b *budget) metered(f function.Function) function.Function {
	// The wrapper takes unknown, marked and untyped arguments itself and
	// leaves them to f, so that when f gives an unknown without their
	// reasons it can add them (below).
	params := f.Params()
	for i := range params {
		params[i] = passThrough(params[i])
	}
	var varParam *function.Parameter
	if vp := f.VarParam(); vp != nil {
		p := passThrough(*vp)
		varParam = &p
	}
	spec := &function.Spec{
		Description: f.Description(),
		Params:      params,
		VarParam:    varParam,
		Type: func(args []cty.Value) (cty.Type, error) {
			return f.ReturnTypeForValues(args)
		},
		Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
			if why := b.stopped(); why != "" {
				return tfmark.Unknown(retType, why), nil
			}
			v, err := f.Call(args)
			if err != nil {
				return v, err
			}
			v = withArgReasons(v, args)
			n := 1
			if uv, _ := v.Unmark(); uv.IsKnown() && !uv.IsNull() && uv.CanIterateElements() {
				n += uv.LengthInt()
			}
			b.spend(n)
			if why := b.stopped(); why != "" {
				return tfmark.Unknown(retType, why), nil
			}
			return v, nil
		},
	}
	return function.New(spec)
}

// overBudget reports, once per limit and root module, that a limit was
// reached: a warning at the place, and an incomplete entry, since what lies
// beyond was not checked.
func (l *loader) overBudget(key string, rng hcl.Range, what, reason string) {
	l.reportOnce("budget|"+key, diag.Warning, rng, reason, "what lies beyond is not checked; raise the limit to read it",
		&diag.Unread{Call: what, Reason: reason})
}

// passThrough is a parameter that lets every value through to the wrapped
// function, which applies its own parameter's rules.
func passThrough(p function.Parameter) function.Parameter {
	p.AllowUnknown, p.AllowMarked, p.AllowDynamicType = true, true, true
	return p
}

// withArgReasons gives an unknown result that says no reason the reasons
// of the unknown arguments it was computed from. cty drops them when a
// function that handles marks itself (merge, lookup, coalesce) meets an
// unknown argument it does not take and returns unknown early.
func withArgReasons(v cty.Value, args []cty.Value) cty.Value {
	if uv, _ := v.UnmarkDeep(); uv.IsWhollyKnown() || tfmark.First(v) != "" {
		return v
	}
	// An argument unknown whole is what makes cty return early; one with
	// an unknown inside explains the result only when there is none.
	for _, whole := range []bool{true, false} {
		marked := false
		for _, a := range args {
			ua, _ := a.UnmarkDeep()
			if ua.IsWhollyKnown() || whole && ua.IsKnown() {
				continue
			}
			if why := tfmark.First(a); why != "" {
				v, marked = v.Mark(tfmark.Why{Reason: why}), true
			}
		}
		if marked {
			break
		}
	}
	return v
}
