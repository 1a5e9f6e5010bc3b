package tfhcl

import (
	"sort"
	"strings"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// resolve finds the resources an expression in module instance m refers
// to, following input variables to the caller's argument, locals to their
// definition and module outputs into the called module.
func (l *loader) resolve(m *inst, expr hcl.Expression, hops int) []*graph.Resource {
	if m == nil || expr == nil || hops > maxRefHops {
		return nil
	}
	var out []*graph.Resource
	for _, tr := range l.refsOf(expr) {
		out = append(out, l.resolveTraversal(m, tr, hops)...)
	}
	return out
}

// resolveIn resolves a resource attribute's expression; each.value and
// each.key follow the instance's own element of the for_each collection.
// An expression that depends on the instance (count.index, each.*) and
// reaches several instances of another resource keeps only the one with
// the referring instance's key (fromKey): aws_s3_bucket.logs[count.index]
// is bucket 1 for instance 1, and for_each = aws_s3_bucket.lake with
// each.value.id is the bucket of the same key.
func (l *loader) resolveIn(m *inst, expr hcl.Expression, each *eachScope, fromKey string, pins indexPins, iters map[string]hcl.Expression) []*graph.Resource {
	var out []*graph.Resource
	keyed := false
	for _, tr := range l.refsOf(expr) {
		at := tr.SourceRange()
		if pins.keyOnly[at] {
			continue
		}
		if key, ok := pins.key[at]; ok {
			for _, t := range l.resolveTraversal(m, tr, 0) {
				if l.keys[t] == key {
					out = append(out, t)
				}
			}
			continue
		}
		if fe, ok := iters[tr.RootName()]; ok {
			out = append(out, l.resolveIn(m, fe, each, fromKey, indexPins{}, nil)...)
			continue
		}
		switch tr.RootName() {
		case "each":
			keyed = true
			if each != nil {
				out = append(out, l.resolveElement(m, each.forEach, each.key, 0)...)
			}
			continue
		case "count":
			keyed = true
			continue
		}
		out = append(out, l.resolveTraversal(m, tr, 0)...)
	}
	if keyed && fromKey != "" {
		var same []*graph.Resource
		for _, t := range out {
			if l.keys[t] == fromKey {
				same = append(same, t)
			}
		}
		if len(same) > 0 {
			return same
		}
	}
	return out
}

// resolveElement finds what the element key of a for_each collection
// refers to, looking through object literals, locals and module inputs;
// where the element cannot be singled out, the whole collection counts.
func (l *loader) resolveElement(m *inst, expr hcl.Expression, key string, hops int) []*graph.Resource {
	if m == nil || expr == nil || hops > maxRefHops {
		return nil
	}
	switch e := expr.(type) {
	case *hclsyntax.ObjectConsExpr:
		for _, item := range e.Items {
			k := hcl.ExprAsKeyword(item.KeyExpr)
			if k == "" {
				if v, d := item.KeyExpr.Value(nil); !d.HasErrors() && v.IsKnown() && v.Type() == cty.String {
					k = v.AsString()
				}
			}
			if k == key {
				return l.resolve(m, item.ValueExpr, hops+1)
			}
		}
		return nil
	case *hclsyntax.ForExpr:
		// { for k, v in coll : k => v if ... } keeps coll's elements under
		// their own keys: the element is coll's.
		if e.KeyExpr != nil && e.KeyVar != "" && isSymbol(e.KeyExpr, e.KeyVar) && isSymbol(e.ValExpr, e.ValVar) {
			return l.resolveElement(m, e.CollExpr, key, hops+1)
		}
	case *hclsyntax.FunctionCallExpr:
		// try(a, b, {}), merge(a, b): the element is one of the arguments'.
		switch e.Name {
		case "try", "merge", "coalesce":
			var out []*graph.Resource
			for _, a := range e.Args {
				out = append(out, l.resolveElement(m, a, key, hops+1)...)
			}
			return out
		}
	case *hclsyntax.ScopeTraversalExpr:
		tr := e.Traversal
		if len(tr) == 2 {
			switch tr.RootName() {
			case "local":
				if a := m.def.locals[attrName(tr[1])]; a != nil {
					return l.resolveElement(m, a.Expr, key, hops+1)
				}
			case "var":
				if x := m.varExprs[attrName(tr[1])]; x != nil && m.parent != nil {
					if each := m.callEach(); each != nil && isEachValue(x) {
						return l.resolveElement(m.parent, each.forEach, each.key, hops+1)
					}
					return l.resolveElement(m.parent, x, key, hops+1)
				}
			}
		}
	}
	return l.resolve(m, expr, hops+1)
}

func attrName(t hcl.Traverser) string {
	if a, ok := t.(hcl.TraverseAttr); ok {
		return a.Name
	}
	return ""
}

func indexKey(t hcl.Traverser) (string, bool) {
	if ix, ok := t.(hcl.TraverseIndex); ok && ix.Key.IsKnown() {
		return keyString(ix.Key), true
	}
	return "", false
}

func (l *loader) resolveTraversal(m *inst, tr hcl.Traversal, hops int) []*graph.Resource {
	if len(tr) >= 3 && tr.RootName() == "resource" {
		// resource.TYPE.NAME is TYPE.NAME.
		tr = append(hcl.Traversal{hcl.TraverseRoot{Name: attrName(tr[1]), SrcRange: tr[1].SourceRange()}}, tr[2:]...)
	}
	if len(tr) < 2 {
		return nil
	}
	root := tr.RootName()
	switch root {
	case "var":
		name := attrName(tr[1])
		if m.parent == nil || m.varExprs[name] == nil {
			return nil
		}
		// The argument is evaluated in the caller, where each.* is this
		// instance's element of the call's for_each.
		var out []*graph.Resource
		for _, t := range l.refsOf(m.varExprs[name]) {
			if t.RootName() == "each" {
				if each := m.callEach(); each != nil {
					out = append(out, l.resolveElement(m.parent, each.forEach, each.key, hops+1)...)
				}
				continue
			}
			out = append(out, l.resolveTraversal(m.parent, t, hops+1)...)
		}
		return out
	case "local":
		a := m.def.locals[attrName(tr[1])]
		if a == nil {
			return nil
		}
		return l.resolve(m, a.Expr, hops+1)
	case "module":
		cs := m.calls[attrName(tr[1])]
		if cs == nil {
			return nil
		}
		rest := tr[2:]
		keys := cs.keys
		if len(rest) > 0 {
			if k, ok := indexKey(rest[0]); ok {
				keys, rest = []string{k}, rest[1:]
			}
		}
		var out []*graph.Resource
		for _, k := range keys {
			child := cs.insts[k]
			if child == nil {
				continue
			}
			var outs []string
			if len(rest) > 0 && attrName(rest[0]) != "" {
				outs = []string{attrName(rest[0])}
			} else {
				for n := range child.def.outputs {
					outs = append(outs, n)
				}
				sort.Strings(outs)
			}
			for _, o := range outs {
				if b := child.def.outputs[o]; b != nil && b.Body.Attributes["value"] != nil {
					out = append(out, l.resolve(child, b.Body.Attributes["value"].Expr, hops+1)...)
				}
			}
		}
		return out
	case "count", "each", "path", "terraform", "self":
		return nil
	}
	cfg := root + "." + attrName(tr[1])
	rest := tr[2:]
	if root == "data" {
		if len(tr) < 3 {
			return nil
		}
		cfg = "data." + attrName(tr[1]) + "." + attrName(tr[2])
		rest = tr[3:]
	}
	key, hasKey := "", false
	if len(rest) > 0 {
		key, hasKey = indexKey(rest[0])
	}
	var out []*graph.Resource
	for _, r := range l.byCfg[strings.TrimSuffix(m.prefix, ".")+"|"+cfg] {
		if hasKey && l.keys[r] != key {
			continue
		}
		out = append(out, r)
	}
	return out
}

// callEach is the for_each element of the call that made this instance,
// when it was made by one.
func (m *inst) callEach() *eachScope {
	if m.call == nil || m.call.mode != "for_each" {
		return nil
	}
	fe := m.call.block.Body.Attributes["for_each"]
	k := m.key.each[0]
	if fe == nil || !k.IsKnown() || k.IsNull() || k.Type() != cty.String {
		return nil
	}
	return &eachScope{forEach: fe.Expr, key: k.AsString()}
}

// isEachValue reports whether expr is each.value itself.
func isEachValue(expr hcl.Expression) bool {
	e, ok := expr.(*hclsyntax.ScopeTraversalExpr)
	return ok && len(e.Traversal) == 2 && e.Traversal.RootName() == "each" && attrName(e.Traversal[1]) == "value"
}

func isSymbol(expr hcl.Expression, name string) bool {
	e, ok := expr.(*hclsyntax.ScopeTraversalExpr)
	return ok && len(e.Traversal) == 1 && e.Traversal.RootName() == name
}

// indexPins say, for one attribute's expression in one instance, which
// instance a reference with a computed index names
// (aws_eks_access_entry.this[each.value.entry_key]), and which references
// serve only to compute such an index: they do not make the attribute
// refer to what they read.
type indexPins struct {
	key     map[hcl.Range]string
	keyOnly map[hcl.Range]bool
}

// quietValue evaluates expr, or says it cannot.
func quietValue(expr hcl.Expression, ctx *hcl.EvalContext) (v cty.Value, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	v, d := expr.Value(ctx)
	if d.HasErrors() {
		return cty.NilVal, false
	}
	v, _ = v.Unmark()
	return v, true
}

// pinIndexes evaluates, in the instance's context, the computed indexes
// an expression applies to references to resources.
func (l *loader) pinIndexes(expr hclsyntax.Expression, ctx *hcl.EvalContext) indexPins {
	var pins indexPins
	for _, ix := range l.computedIndexes(expr) {
		coll := ix.Collection.(*hclsyntax.ScopeTraversalExpr)
		// Quietly: a key read from a for expression's symbol cannot be
		// evaluated here, and is not an error of the configuration.
		k, ok := quietValue(ix.Key, ctx)
		if !ok || !k.IsKnown() || k.IsNull() || (k.Type() != cty.String && k.Type() != cty.Number) {
			continue
		}
		if pins.key == nil {
			pins.key, pins.keyOnly = map[hcl.Range]string{}, map[hcl.Range]bool{}
		}
		pins.key[coll.Traversal.SourceRange()] = keyString(k)
		for _, t := range ix.Key.Variables() {
			pins.keyOnly[t.SourceRange()] = true
		}
	}
	return pins
}

// computedIndexes lists an expression's indexes applied to a reference
// (x.y[expr]), found once per expression, not once per instance.
func (l *loader) computedIndexes(expr hclsyntax.Expression) []*hclsyntax.IndexExpr {
	if ixs, ok := l.indexes[expr]; ok {
		return ixs
	}
	var ixs []*hclsyntax.IndexExpr
	_ = hclsyntax.VisitAll(expr, func(n hclsyntax.Node) hcl.Diagnostics {
		if ix, ok := n.(*hclsyntax.IndexExpr); ok {
			if _, ok := ix.Collection.(*hclsyntax.ScopeTraversalExpr); ok {
				ixs = append(ixs, ix)
			}
		}
		return nil
	})
	l.indexes[expr] = ixs
	return ixs
}
