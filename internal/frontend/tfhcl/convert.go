package tfhcl

import (
	"math/big"
	"strings"

	"github.com/eksguard/eksguard/internal/frontend/tfhcl/tfmark"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/jsonpos"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// rangeOf clamps: module files are read whole, with no bound on their size.
func rangeOf(r hcl.Range) graph.Range {
	return graph.Range{File: r.Filename, Line: graph.Clamp32(r.Start.Line), Column: graph.Clamp32(r.Start.Column), EndLine: graph.Clamp32(r.End.Line)}
}

// fromCty converts an evaluated value into the graph's value tree. Every
// node gets the range of the expression it came from; an unknown value
// stays unknown, never null or false, with the reason marked on it (or on
// the value that holds it).
func fromCty(v cty.Value, rng graph.Range, depth int) *graph.Value {
	return fromMarked(v, rng, depth, "")
}

func fromMarked(v cty.Value, rng graph.Range, depth int, why string) *graph.Value {
	out := fromUnmarked(v, rng, depth, why)
	if v.HasMark(tfmark.Sensitive) {
		// What Terraform would hide in its own output is never printed:
		// the graph's writers mask it.
		out.MarkSecret()
	}
	return out
}

func fromUnmarked(v cty.Value, rng graph.Range, depth int, why string) *graph.Value {
	v, marks := v.Unmark()
	for m := range marks {
		if w, ok := m.(tfmark.Why); ok && (why == "" || w.Reason < why) {
			why = w.Reason
		}
	}
	if depth > 64 {
		return unknownValue(rng, "the value nests too deep", "")
	}
	if !v.IsKnown() {
		u := unknownValue(rng, why, "")
		if v.Type() == cty.String {
			// A template's text before its first unknown part (HCL
			// refines the unknown result with it).
			if p := v.Range().StringPrefix(); p != "" {
				u.SetWhy(&graph.Unknowable{Reason: why, Prefix: placeholders.Replace(p)})
			}
		}
		return u
	}
	if v.IsNull() {
		return &graph.Value{Kind: graph.Null, Range: rng}
	}
	t := v.Type()
	switch {
	case t == cty.String:
		s := v.AsString()
		if u := placeholderValue(s, rng); u != nil {
			u.SetDoc(partialDoc(s, rng))
			return u
		}
		return &graph.Value{Kind: graph.String, Str: s, Range: rng}
	case t == cty.Number:
		f, _ := v.AsBigFloat().Float64()
		return graph.NewNumberAt(f, rng)
	case t == cty.Bool:
		return &graph.Value{Kind: graph.Bool, Bool: v.True(), Range: rng}
	case t.IsListType() || t.IsSetType() || t.IsTupleType():
		out := &graph.Value{Kind: graph.List, Range: rng}
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			out.List = append(out.List, fromMarked(e, rng, depth+1, why))
		}
		return out
	case t.IsMapType() || t.IsObjectType():
		out := &graph.Value{Kind: graph.Map, Map: graph.NewFields(0), Range: rng}
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			// A key built from a derived value ("${issuer}:sub") keeps the
			// placeholders' graph spelling.
			out.Map.Set(placeholders.Replace(k.AsString()), fromMarked(e, rng, depth+1, why))
		}
		return out
	}
	return unknownValue(rng, why, "")
}

// placeholderValue is the graph value of a string holding the evaluator's
// placeholders (an ARN known but for the account): an unknown with its
// reason and its partial. Nil for any other string.
func placeholderValue(s string, rng graph.Range) *graph.Value {
	p, why, ok := partialOf(s)
	if !ok {
		return nil
	}
	if p == graph.GeneratedPlaceholder {
		// Nothing of it is known (a key id): no partial to read.
		p = ""
	}
	return unknownValue(rng, why, p)
}

// partialDoc is the structure of a JSON document (a policy) that holds
// the evaluator's placeholders: known everywhere but in the strings that
// hold them, which are unknowns with their partial, so the rest of the
// policy can still be read. Positions inside the string mean nothing in
// the file: every part is at the attribute.
func partialDoc(s string, rng graph.Range) *graph.Value {
	if !strings.HasPrefix(strings.TrimSpace(s), "{") {
		return nil
	}
	doc, err := jsonpos.Parse([]byte(s), rng.File)
	if err != nil {
		return nil
	}
	return placeDoc(doc, rng)
}

func placeDoc(v *graph.Value, rng graph.Range) *graph.Value {
	if v.Kind == graph.String {
		if u := placeholderValue(v.Str, rng); u != nil {
			return u
		}
	}
	v.Range = rng
	for i, e := range v.List {
		v.List[i] = placeDoc(e, rng)
	}
	for k, e := range v.Map.All() {
		v.Map.Set(k, placeDoc(e, rng))
	}
	return v
}

// encodedDoc returns the structure of an attribute written as
// jsonencode({...}), with the line of each part and unknowns left at the
// leaves that are unknown, so a policy whose one ARN is known only after
// apply still shows its actions. Nil for any other expression.
func (m *inst) encodedDoc(expr hclsyntax.Expression, ctx *hcl.EvalContext) *graph.Value {
	call, ok := expr.(*hclsyntax.FunctionCallExpr)
	if !ok || call.Name != "jsonencode" || len(call.Args) != 1 {
		return nil
	}
	return m.structured(call.Args[0], ctx, 0)
}

// templateDoc returns the structure of an attribute written as a JSON
// template (a heredoc policy with "Resource": "${aws_s3_bucket.b.arn}/*")
// whose value is unknown because some of its interpolations are: the
// template is rendered with a token for each unknown part and parsed, and
// the strings holding a token are unknowns with that part's reason, so
// the policy's actions can still be read. Nil when the template is not
// JSON that way (an unknown part outside a string) or is known.
func (m *inst) templateDoc(expr hclsyntax.Expression, ctx *hcl.EvalContext) *graph.Value {
	t, ok := expr.(*hclsyntax.TemplateExpr)
	if !ok || len(t.Parts) < 2 {
		return nil
	}
	var text strings.Builder
	var reasons []string
	for _, part := range t.Parts {
		v := m.eval(part, ctx)
		if v.IsWhollyKnown() {
			uv, marks := v.Unmark()
			if len(marks) > 0 || uv.IsNull() {
				// A sensitive part is never written into a document a
				// report may show; a null one fails the template.
				return nil
			}
			sv, err := convert.Convert(uv, cty.String)
			if err != nil {
				return nil
			}
			text.WriteString(sv.AsString())
			continue
		}
		why := tfmark.First(v)
		if why == "" {
			why = "a part of it is known only after apply"
		}
		text.WriteString(templateToken(len(reasons)))
		reasons = append(reasons, why)
	}
	if len(reasons) == 0 || !strings.HasPrefix(strings.TrimSpace(text.String()), "{") {
		return nil
	}
	doc, err := jsonpos.Parse([]byte(text.String()), "")
	if err != nil {
		return nil
	}
	return unknownParts(doc, reasons, rangeOf(t.SrcRange), 0)
}

// templateDocVia is templateDoc of the template expr reads, written in
// place or reached through a local or a module variable (a module's
// policy = var.policy_json given a heredoc by its caller), each evaluated
// where it is written.
func (m *inst) templateDocVia(expr hclsyntax.Expression, ctx *hcl.EvalContext, hops int) *graph.Value {
	e, ok := expr.(*hclsyntax.ScopeTraversalExpr)
	if !ok || len(e.Traversal) != 2 || hops > maxRefHops {
		return m.templateDoc(expr, ctx)
	}
	name := attrName(e.Traversal[1])
	switch e.Traversal.RootName() {
	case "local":
		if a := m.def.locals[name]; a != nil {
			return m.templateDocVia(a.Expr, m.ctxFor(m.l.refsOf(a.Expr)), hops+1)
		}
	case "var":
		if m.parent == nil || moduleMeta[name] {
			return nil
		}
		// The argument given is the value only when the variable takes
		// it as it is: a string, or no type. A sensitive one is never
		// written into a document a report may show.
		vd := m.def.vars[name]
		if vd == nil || vd.sensitive || !vd.typ.Equals(cty.String) && !vd.typ.Equals(cty.DynamicPseudoType) {
			return nil
		}
		if a := m.call.block.Body.Attributes[name]; a != nil {
			return m.parent.templateDocVia(a.Expr, instCtx(m.parent.ctxFor(m.l.refsOf(a.Expr)), m.call.mode, m.key), hops+1)
		}
	}
	return nil
}

// templateToken stands for the i-th unknown part of a template: text no
// template holds and JSON keeps as it is inside a string.
func templateToken(i int) string { return "@@eksguard-unknown-" + itoa(int64(i)) + "@@" }

// unknownParts places the parsed template at rng and turns each string
// holding tokens into an unknown: with the reason of its first part, and
// its known text as the partial when there is some.
func unknownParts(v *graph.Value, reasons []string, rng graph.Range, depth int) *graph.Value {
	if depth > 64 {
		return unknownValue(rng, "the value nests too deep", "")
	}
	v.Range = rng
	switch v.Kind {
	case graph.String:
		if !strings.Contains(v.Str, "@@eksguard-unknown-") {
			return v
		}
		why, partial := "", v.Str
		for i := len(reasons) - 1; i >= 0; i-- {
			tok := templateToken(i)
			if strings.Contains(partial, tok) {
				why = reasons[i]
				partial = strings.ReplaceAll(partial, tok, graph.GeneratedPlaceholder)
			}
		}
		if partial == graph.GeneratedPlaceholder {
			partial = ""
		}
		return unknownValue(rng, why, partial)
	case graph.List:
		for i, e := range v.List {
			v.List[i] = unknownParts(e, reasons, rng, depth+1)
		}
	case graph.Map:
		for k, e := range v.Map.All() {
			if strings.Contains(k, "@@eksguard-unknown-") {
				// Which key it is cannot be told, so neither can the
				// object.
				return unknownValue(rng, reasons[0], "")
			}
			v.Map.Set(k, unknownParts(e, reasons, rng, depth+1))
		}
	}
	return v
}

// structured evaluates object and tuple literals part by part. Evaluated
// whole, one reference HCL cannot resolve (an attribute computed at apply)
// turns the entire literal unknown; here it stays unknown only where it is
// written.
func (m *inst) structured(expr hclsyntax.Expression, ctx *hcl.EvalContext, depth int) *graph.Value {
	rng := rangeOf(expr.Range())
	if depth > 64 {
		return &graph.Value{Kind: graph.Unknown, Range: rng}
	}
	switch e := expr.(type) {
	case *hclsyntax.ObjectConsExpr:
		out := &graph.Value{Kind: graph.Map, Map: graph.NewFields(0), Range: rng}
		for _, item := range e.Items {
			key := hcl.ExprAsKeyword(item.KeyExpr)
			if key == "" {
				k := m.eval(item.KeyExpr, ctx)
				if !k.IsKnown() || k.IsNull() || k.Type() != cty.String {
					// A key known only after apply: which element it is
					// cannot be told, so neither can the object.
					return &graph.Value{Kind: graph.Unknown, Range: rng}
				}
				key = k.AsString()
			}
			v := m.structured(item.ValueExpr, ctx, depth+1)
			v.Range = rangeOf(item.KeyExpr.Range())
			out.Map.Set(key, v)
		}
		return out
	case *hclsyntax.TupleConsExpr:
		out := &graph.Value{Kind: graph.List, Range: rng}
		for _, x := range e.Exprs {
			out.List = append(out.List, m.structured(x, ctx, depth+1))
		}
		return out
	}
	v := fromCty(m.eval(expr, ctx), rng, 0)
	setRanges(expr, v, 0)
	return v
}

// keyString renders an instance key the way Terraform addresses show it.
func keyString(k cty.Value) string {
	if k.Type() == cty.Number {
		bf := k.AsBigFloat()
		if i, acc := bf.Int64(); acc == big.Exact {
			return "[" + itoa(i) + "]"
		}
	}
	if k.Type() == cty.String {
		return "[" + quote(k.AsString()) + "]"
	}
	return ""
}

func itoa(i int64) string {
	if i == 0 {
		return "0"
	}
	neg := i < 0
	if neg {
		i = -i
	}
	var b [24]byte
	p := len(b)
	for i > 0 {
		p--
		b[p] = byte('0' + i%10)
		i /= 10
	}
	if neg {
		p--
		b[p] = '-'
	}
	return string(b[p:])
}

func quote(s string) string {
	out := []byte{'"'}
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			out = append(out, '\\')
		}
		out = append(out, s[i])
	}
	return string(append(out, '"'))
}

// setRanges refines the ranges of a value built from one attribute: the
// parts written as object or tuple literals get the line of their own key
// or element, so a finding deep inside (a kubernetes_manifest, a tags map)
// points at the line to edit.
func setRanges(expr hclsyntax.Expression, gv *graph.Value, depth int) {
	if gv == nil || depth > 64 {
		return
	}
	switch e := expr.(type) {
	case *hclsyntax.ObjectConsExpr:
		if gv.Kind != graph.Map {
			return
		}
		for _, item := range e.Items {
			key := hcl.ExprAsKeyword(item.KeyExpr)
			if key == "" {
				if k, d := item.KeyExpr.Value(nil); !d.HasErrors() && k.IsKnown() && k.Type() == cty.String {
					key = k.AsString()
				}
			}
			if sub := gv.Map.Get(key); sub != nil {
				sub.Range = rangeOf(item.KeyExpr.Range())
				setRanges(item.ValueExpr, sub, depth+1)
			}
		}
	case *hclsyntax.TupleConsExpr:
		if gv.Kind != graph.List {
			return
		}
		for i, ex := range e.Exprs {
			if i < len(gv.List) {
				gv.List[i].Range = rangeOf(ex.Range())
				setRanges(ex, gv.List[i], depth+1)
			}
		}
	}
}

func unknownValue(rng graph.Range, reason, partial string) *graph.Value {
	v := &graph.Value{Kind: graph.Unknown, Range: rng}
	if reason != "" || partial != "" {
		v.SetWhy(&graph.Unknowable{Reason: reason, Partial: partial})
	}
	return v
}
