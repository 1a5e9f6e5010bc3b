package tfhcl

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/jsonpos"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	ctyconvert "github.com/zclconf/go-cty/cty/convert"
)

// RawFile turns one Terraform file into the document conftest hands a
// policy as `input` for it, so that policies written for conftest run
// unchanged. Conftest reads .tf files with tmccombs/hcl2json (no
// simplification) and .json files as plain JSON; RawFile gives the same
// shape with the place each value is written:
//
//   - a block is keyed by its type, then by each label in turn; the last
//     key holds an array with one object per block, so repeated blocks
//     (two locals, two ingress) are merged into one array in file order;
//   - a literal number, bool or null is itself; a quoted string or heredoc
//     is its text, a literal "${" or "%{" in it written escaped ("$${",
//     "%%{") as in the source, so it cannot be taken for interpolation;
//   - a list or object literal is a list or object of converted parts,
//     an object key written as a bare name (or a.b.c) is its source text;
//   - a template is rebuilt as text: "${...}" around the source of each
//     interpolation, %{if}/%{for} directives (and conditionals
//     interpolated in a template) written as directives;
//   - "${x}" alone is x converted on its own (so "${1}" is the number 1);
//   - anything else (references, function calls, operators,
//     conditionals, for expressions, type constraints, -var.x) is the
//     string "${<source text>}", line breaks and all;
//   - an attribute named like a block type in the same body replaces the
//     blocks, as attributes are converted last.
//
// A file that does not parse yields its positioned diagnostics and
// whatever part of it the parser recovered; conftest would reject the
// file instead.
func RawFile(data []byte, filename string) (*graph.Value, diag.List) {
	var none *Cache
	return none.RawFile(data, filename)
}

// RawFile is the package's RawFile, reusing the parse of a file the
// evaluation read.
func (c *Cache) RawFile(data []byte, filename string) (*graph.Value, diag.List) {
	if strings.HasSuffix(filename, ".json") {
		v, found, err := c.document(filename, data)
		if !found {
			v, err = jsonpos.Parse(data, filename)
		}
		if err != nil {
			var d diag.Diagnostic
			if !errors.As(err, &d) {
				d = diag.Diagnostic{Severity: diag.Error, File: filename, Summary: "invalid JSON", Detail: err.Error()}
			}
			return nil, diag.List{d}
		}
		return v, nil
	}
	pf := c.file(filename, data)
	if pf.deep != nil {
		return nil, diag.List{*pf.deep}
	}
	diags := fromHCL(pf.hd)
	body := pf.body
	if body == nil {
		return nil, diags
	}
	rc := &rawConv{src: data, file: filename}
	// The body ends after the file's last line break, at the start of a
	// line that has nothing on it.
	end := body.SrcRange.End
	if end.Column == 1 && end.Line > 1 {
		end.Line--
	}
	root := rc.body(body, graph.Range{File: filename, Line: 1, Column: 1, EndLine: graph.Clamp32(end.Line)}, 0)
	return root, append(diags, rc.diags...)
}

// rawMaxDepth bounds the recursion over nested expressions and blocks, as
// jsonpos bounds JSON nesting.
const rawMaxDepth = jsonpos.MaxDepth

type rawConv struct {
	src   []byte
	file  string
	diags diag.List
}

func (c *rawConv) errorAt(r graph.Range, summary, detail string) {
	c.diags = append(c.diags, diag.Diagnostic{Severity: diag.Error, File: c.file, Line: int(r.Line), Column: int(r.Column),
		Summary: summary, Detail: detail})
}

func (c *rawConv) tooDeep(r graph.Range) *graph.Value {
	c.errorAt(r, "nesting too deep", fmt.Sprintf("more than %d levels; the part below is not read", rawMaxDepth))
	return &graph.Value{Kind: graph.Unknown, Range: r}
}

// body converts blocks before attributes, as hcl2json does, so an
// attribute named like a block type replaces the blocks.
func (c *rawConv) body(b *hclsyntax.Body, at graph.Range, depth int) *graph.Value {
	out := &graph.Value{Kind: graph.Map, Map: graph.NewFields(0), Range: at}
	if b == nil {
		return out
	}
	if depth > rawMaxDepth {
		return c.tooDeep(at)
	}
	for _, blk := range b.Blocks {
		if blk != nil {
			c.block(blk, out, depth)
		}
	}
	for name, a := range b.Attributes {
		if a == nil {
			continue
		}
		at := rangeOf(a.SrcRange)
		v := c.expr(a.Expr, at, depth+1)
		// Located where the attribute's name is written, through the end
		// of its value: the line a reader edits.
		v.Range = at
		out.Map.Set(validUTF8(name), v)
	}
	return out
}

// block files one block under out[type][label1]...[labelN], an array.
// The objects made for the labels take the range of the first block
// that needed them. hcl2json fails the whole file when a block type is
// used with different numbers of labels at one level; here that block is
// reported and left out.
func (c *rawConv) block(b *hclsyntax.Block, out *graph.Value, depth int) {
	at := rangeOf(b.Range())
	parent, key := out, validUTF8(b.Type)
	for _, label := range b.Labels {
		next := parent.Map.Get(key)
		if next == nil {
			next = &graph.Value{Kind: graph.Map, Map: graph.NewFields(0), Range: at}
			parent.Map.Set(key, next)
		} else if next.Kind != graph.Map {
			c.labelConflict(b, at)
			return
		}
		parent, key = next, validUTF8(label)
	}
	v := c.body(b.Body, at, depth+1)
	switch list := parent.Map.Get(key); {
	case list == nil:
		parent.Map.Set(key, &graph.Value{Kind: graph.List, List: []*graph.Value{v}, Range: at})
	case list.Kind == graph.List:
		list.List = append(list.List, v)
	default:
		c.labelConflict(b, at)
	}
}

func (c *rawConv) labelConflict(b *hclsyntax.Block, at graph.Range) {
	name := strings.Join(append([]string{b.Type}, b.Labels...), ".")
	c.errorAt(at, "block cannot be converted for conftest",
		fmt.Sprintf("%s: blocks of type %q are written with different numbers of labels; conftest rejects the file; this block is left out", name, b.Type))
}

// expr converts one expression. at locates the value when the syntax
// tree has no expression (never after a clean parse).
func (c *rawConv) expr(e hclsyntax.Expression, at graph.Range, depth int) *graph.Value {
	if e == nil {
		return &graph.Value{Kind: graph.Unknown, Range: at}
	}
	rng := rangeOf(e.Range())
	if depth > rawMaxDepth {
		return c.tooDeep(rng)
	}
	switch e := e.(type) {
	case *hclsyntax.LiteralValueExpr:
		return c.literal(e.Val, rng)
	case *hclsyntax.UnaryOpExpr:
		// Only a negated or inverted literal is folded (-10, !true);
		// hcl2json writes anything else as source.
		if _, ok := e.Val.(*hclsyntax.LiteralValueExpr); ok {
			v, d := e.Value(nil)
			if !d.HasErrors() {
				return c.literal(v, rng)
			}
			c.errorAt(rng, "invalid operand", "the operator does not apply to this literal; conftest rejects the file")
		}
	case *hclsyntax.TemplateExpr:
		return &graph.Value{Kind: graph.String, Str: validUTF8(c.template(e, depth+1)), Range: rng}
	case *hclsyntax.TemplateWrapExpr:
		v := c.expr(e.Wrapped, rng, depth+1)
		v.Range = rng
		return v
	case *hclsyntax.TupleConsExpr:
		out := &graph.Value{Kind: graph.List, List: make([]*graph.Value, 0, len(e.Exprs)), Range: rng}
		for _, x := range e.Exprs {
			out.List = append(out.List, c.expr(x, rng, depth+1))
		}
		return out
	case *hclsyntax.ObjectConsExpr:
		out := &graph.Value{Kind: graph.Map, Map: graph.NewFields(len(e.Items)), Range: rng}
		for _, item := range e.Items {
			v := c.expr(item.ValueExpr, rng, depth+1)
			if item.KeyExpr != nil && item.ValueExpr != nil {
				v.Range = rangeOf(hcl.RangeBetween(item.KeyExpr.Range(), item.ValueExpr.Range()))
			}
			out.Map.Set(validUTF8(c.key(item.KeyExpr, depth+1)), v)
		}
		return out
	}
	return &graph.Value{Kind: graph.String, Str: validUTF8(c.wrap(e)), Range: rng}
}

// literal gives a number, bool or null as itself. A number beyond
// float64 is left unknown: conftest fails to decode it, and an infinity
// would not survive the trip to JSON for the policy engine either.
func (c *rawConv) literal(v cty.Value, rng graph.Range) *graph.Value {
	v, _ = v.Unmark()
	switch {
	case !v.IsKnown():
		return &graph.Value{Kind: graph.Unknown, Range: rng}
	case v.IsNull():
		return &graph.Value{Kind: graph.Null, Range: rng}
	}
	switch v.Type() {
	case cty.Number:
		f, _ := v.AsBigFloat().Float64()
		if math.IsInf(f, 0) {
			c.errorAt(rng, "number out of range", "the number does not fit a 64-bit float; conftest rejects the file")
			return &graph.Value{Kind: graph.Unknown, Range: rng}
		}
		return graph.NewNumberAt(f, rng)
	case cty.Bool:
		return &graph.Value{Kind: graph.Bool, Bool: v.True(), Range: rng}
	case cty.String:
		return &graph.Value{Kind: graph.String, Str: validUTF8(v.AsString()), Range: rng}
	}
	return &graph.Value{Kind: graph.Unknown, Range: rng}
}

// key names an object item: a bare name or traversal by its source text,
// anything else as a template part ("${local.k}" stays "${local.k}").
func (c *rawConv) key(k hclsyntax.Expression, depth int) string {
	if ck, ok := k.(*hclsyntax.ObjectConsKeyExpr); ok {
		k = ck.Wrapped
		if _, ok := k.(*hclsyntax.ScopeTraversalExpr); ok {
			return c.source(k.Range())
		}
	}
	return c.part(k, depth)
}

func (c *rawConv) template(t *hclsyntax.TemplateExpr, depth int) string {
	var b strings.Builder
	for _, p := range t.Parts {
		b.WriteString(c.part(p, depth))
	}
	return b.String()
}

// part renders one piece of a template as text.
func (c *rawConv) part(e hclsyntax.Expression, depth int) string {
	if e == nil {
		return ""
	}
	if depth > rawMaxDepth {
		c.tooDeep(rangeOf(e.Range()))
		return ""
	}
	switch e := e.(type) {
	case *hclsyntax.LiteralValueExpr:
		// A key written null is the text "null", not JSON null.
		if e.Val.IsKnown() && e.Val.IsNull() {
			return "null"
		}
		s, err := ctyconvert.Convert(e.Val, cty.String)
		if err != nil || !s.IsKnown() || s.IsNull() {
			return c.wrap(e)
		}
		return escapeLiteral(s.AsString())
	case *hclsyntax.TemplateExpr:
		return c.template(e, depth+1)
	case *hclsyntax.TemplateWrapExpr:
		return c.part(e.Wrapped, depth+1)
	case *hclsyntax.ConditionalExpr:
		var b strings.Builder
		b.WriteString("%{if ")
		b.WriteString(c.source(e.Condition.Range()))
		b.WriteString("}")
		b.WriteString(c.part(e.TrueResult, depth+1))
		// An empty else branch is dropped, as hcl2json drops it.
		if f := c.part(e.FalseResult, depth+1); f != "" {
			b.WriteString("%{else}")
			b.WriteString(f)
		}
		b.WriteString("%{endif}")
		return b.String()
	case *hclsyntax.TemplateJoinExpr:
		fe, ok := e.Tuple.(*hclsyntax.ForExpr)
		if !ok {
			return c.wrap(e)
		}
		var b strings.Builder
		b.WriteString("%{for ")
		if fe.KeyVar != "" {
			b.WriteString(fe.KeyVar)
			b.WriteString(", ")
		}
		b.WriteString(fe.ValVar)
		b.WriteString(" in ")
		b.WriteString(c.source(fe.CollExpr.Range()))
		b.WriteString("}")
		b.WriteString(c.part(fe.ValExpr, depth+1))
		b.WriteString("%{endfor}")
		return b.String()
	}
	return c.wrap(e)
}

func (c *rawConv) wrap(e hclsyntax.Expression) string {
	return "${" + c.source(e.Range()) + "}"
}

// source returns the text of a range. hcl2json also takes a ")" that
// directly follows the range (a workaround for ranges older HCL releases
// ended before the closing parenthesis); done here too so the text is
// the same. Ranges from a recovered parse are clamped to the input.
func (c *rawConv) source(r hcl.Range) string {
	start, end := r.Start.Byte, r.End.Byte
	start = max(0, min(start, len(c.src)))
	end = max(start, min(end, len(c.src)))
	if end < len(c.src) && c.src[end] == ')' {
		end++
	}
	return string(c.src[start:end])
}

// escapeLiteral escapes again what the source escaped, so literal text
// cannot be read back as interpolation or a directive.
func escapeLiteral(s string) string {
	s = strings.ReplaceAll(s, "${", "$${")
	return strings.ReplaceAll(s, "%{", "%%{")
}

// validUTF8 replaces each byte that is not UTF-8 with U+FFFD, as the
// JSON encoding between hcl2json and conftest does, so a policy sees the
// same text whether it reads this value or conftest's.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}
