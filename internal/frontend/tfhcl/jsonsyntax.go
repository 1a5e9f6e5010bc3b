package tfhcl

import (
	"errors"
	"sort"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/frontend/tfhcl/hclguard"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Terraform's JSON syntax (.tf.json) says nothing of which object keys
// are nested blocks and which are map-valued attributes; Terraform asks the
// provider schema. Without schemas, an object value is read as a block
// unless its name is one of these map attributes, and an array of objects
// as repeated blocks.
var jsonMapAttrs = map[string]bool{"tags": true, "tags_all": true, "labels": true, "annotations": true,
	"manifest": true, "variables": true, "environment": true, "triggers": true, "parameters": true,
	"default": true, "value": true, "default_tags": true, "policy": true}

// jsonMetaAttrs are Terraform's meta-arguments, attributes whatever their
// shape.
var jsonMetaAttrs = map[string]bool{"count": true, "for_each": true, "depends_on": true, "provider": true,
	"source": true, "version": true, "providers": true, "iterator": true}

// jsonConfig turns a .tf.json file, parsed by jsonpos (root, or err),
// into the same syntax tree as a .tf file, with positions, so one
// evaluator serves both. root is only read.
func jsonConfig(root *graph.Value, err error, file string) (*hclsyntax.Body, hcl.Diagnostics) {
	if err != nil {
		// jsonpos's error is a positioned diagnostic: its place and words
		// are kept, not its text wrapped in another.
		d := diag.Diagnostic{Summary: "invalid JSON", Detail: err.Error(), Line: 1, Column: 1}
		errors.As(err, &d)
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: d.Summary, Detail: d.Detail,
			Subject: &hcl.Range{Filename: file, Start: hcl.Pos{Line: d.Line, Column: d.Column}}}}
	}
	if root.Kind != graph.Map {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "a .tf.json file must hold an object",
			Subject: &hcl.Range{Filename: file, Start: hcl.Pos{Line: int(root.Range.Line), Column: int(root.Range.Column)}}}}
	}
	c := &jsonConv{file: file}
	body := &hclsyntax.Body{Attributes: hclsyntax.Attributes{}, SrcRange: c.rng(root)}
	for _, typ := range root.Keys() {
		v := root.Map.Get(typ)
		switch typ {
		case "resource", "data":
			for _, t := range v.Keys() {
				for _, n := range v.Map.Get(t).Keys() {
					for _, b := range objects(v.Map.Get(t).Map.Get(n)) {
						body.Blocks = append(body.Blocks, c.block(typ, []string{t, n}, b))
					}
				}
			}
		case "terraform":
			// Read for its backend and cloud blocks (a root module's).
			for _, b := range objects(v) {
				body.Blocks = append(body.Blocks, c.block(typ, nil, b))
			}
		case "module", "variable", "output", "provider":
			for _, n := range v.Keys() {
				for _, b := range objects(v.Map.Get(n)) {
					body.Blocks = append(body.Blocks, c.block(typ, []string{n}, b))
				}
			}
		case "locals":
			for _, b := range objects(v) {
				blk := &hclsyntax.Block{Type: "locals", Body: &hclsyntax.Body{Attributes: hclsyntax.Attributes{}, SrcRange: c.rng(b)},
					TypeRange: c.rng(b)}
				for _, k := range b.Keys() {
					blk.Body.Attributes[k] = c.attr(k, b.Map.Get(k))
				}
				body.Blocks = append(body.Blocks, blk)
			}
		}
	}
	return body, c.diags
}

type jsonConv struct {
	file  string
	diags hcl.Diagnostics
}

func (c *jsonConv) rng(v *graph.Value) hcl.Range {
	p := hcl.Pos{Line: int(v.Range.Line), Column: int(v.Range.Column)}
	end := p
	if v.Range.EndLine > 0 {
		end.Line = int(v.Range.EndLine)
	}
	return hcl.Range{Filename: c.file, Start: p, End: end}
}

func objects(v *graph.Value) []*graph.Value {
	var out []*graph.Value
	for _, e := range v.Items() {
		if e.Kind == graph.Map {
			out = append(out, e)
		}
	}
	return out
}

func (c *jsonConv) block(typ string, labels []string, v *graph.Value) *hclsyntax.Block {
	b := &hclsyntax.Block{Type: typ, Labels: labels, Body: c.body(v, typ == "variable" || typ == "output"), TypeRange: c.rng(v)}
	b.LabelRanges = make([]hcl.Range, len(labels))
	b.OpenBraceRange, b.CloseBraceRange = c.rng(v), c.rng(v)
	return b
}

// body converts a block body; in variable and output blocks every key is
// an attribute (default and value may be any shape).
func (c *jsonConv) body(v *graph.Value, allAttrs bool) *hclsyntax.Body {
	body := &hclsyntax.Body{Attributes: hclsyntax.Attributes{}, SrcRange: c.rng(v)}
	body.SrcRange.End.Line = int(v.Range.EndLine)
	keys := v.Keys()
	sort.Strings(keys)
	for _, k := range keys {
		e := v.Map.Get(k)
		if k == "//" {
			continue // a JSON-syntax comment
		}
		if k == "dynamic" && !allAttrs {
			for _, label := range e.Keys() {
				for _, d := range objects(e.Map.Get(label)) {
					body.Blocks = append(body.Blocks, c.block("dynamic", []string{label}, d))
				}
			}
			continue
		}
		isBlock := !allAttrs && !jsonMapAttrs[k] && !jsonMetaAttrs[k] && (e.Kind == graph.Map ||
			(e.Kind == graph.List && len(e.List) > 0 && len(objects(e)) == len(e.List)))
		if isBlock {
			for _, o := range objects(e) {
				body.Blocks = append(body.Blocks, c.block(k, nil, o))
			}
			continue
		}
		body.Attributes[k] = c.attr(k, e)
	}
	return body
}

func (c *jsonConv) attr(name string, v *graph.Value) *hclsyntax.Attribute {
	r := c.rng(v)
	return &hclsyntax.Attribute{Name: name, Expr: c.expr(v, 0), SrcRange: r, NameRange: r, EqualsRange: r}
}

// expr turns a JSON value into an expression: strings are templates, as
// Terraform reads them ("${var.x}"), the rest are literals or constructors.
func (c *jsonConv) expr(v *graph.Value, depth int) hclsyntax.Expression {
	r := c.rng(v)
	if depth > 64 {
		return &hclsyntax.LiteralValueExpr{Val: cty.DynamicVal, SrcRange: r}
	}
	switch v.Kind {
	case graph.String:
		src := []byte(v.Str)
		if refused, bad := hclguard.Check(src, c.file, r.Start, hclguard.Template); bad {
			// Located at the string: positions inside its decoded text
			// are not the file's once it holds an escape.
			d := refused.Diagnostic(c.file, "the string")
			d.Subject = &r
			c.diags = append(c.diags, d)
			return &hclsyntax.LiteralValueExpr{Val: cty.DynamicVal, SrcRange: r}
		}
		e, d := hclsyntax.ParseTemplate(src, c.file, r.Start)
		if d.HasErrors() {
			c.diags = append(c.diags, d...)
			return &hclsyntax.LiteralValueExpr{Val: cty.DynamicVal, SrcRange: r}
		}
		return e
	case graph.Number:
		return &hclsyntax.LiteralValueExpr{Val: cty.NumberFloatVal(v.Num()), SrcRange: r}
	case graph.Bool:
		return &hclsyntax.LiteralValueExpr{Val: cty.BoolVal(v.Bool), SrcRange: r}
	case graph.List:
		t := &hclsyntax.TupleConsExpr{SrcRange: r, OpenRange: r}
		for _, e := range v.List {
			t.Exprs = append(t.Exprs, c.expr(e, depth+1))
		}
		return t
	case graph.Map:
		o := &hclsyntax.ObjectConsExpr{SrcRange: r, OpenRange: r}
		for _, k := range v.Keys() {
			kr := c.rng(v.Map.Get(k))
			o.Items = append(o.Items, hclsyntax.ObjectConsItem{
				KeyExpr:   &hclsyntax.ObjectConsKeyExpr{Wrapped: &hclsyntax.LiteralValueExpr{Val: cty.StringVal(k), SrcRange: kr}, ForceNonLiteral: true},
				ValueExpr: c.expr(v.Map.Get(k), depth+1),
			})
		}
		return o
	}
	return &hclsyntax.LiteralValueExpr{Val: cty.NullVal(cty.DynamicPseudoType), SrcRange: r}
}
