package policy

import (
	"math"
	"strconv"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/workpool"
)

// Value converts an attribute tree to a Rego value of the same shape as
// the graph's JSON form (docs/graph-schema.md): unknowns are
// {"__unknown__": true}, never null or false, so a policy cannot mistake
// "not knowable from code" for "off". A secret is the string
// graph.Redacted: what a policy prints or puts in a message must not
// carry it.
func Value(v *graph.Value) ast.Value {
	return newConverter().value(v)
}

// converter builds Rego values straight from the graph's, sharing one term
// per distinct object key (a plan repeats a few hundred keys a million
// times) and the interned terms of booleans, null and small integers: Rego
// values are never modified in place, so shared terms are safe.
type converter struct {
	// parallel converts long lists on every core, each part with a
	// converter of its own (a converter is not safe for concurrent use).
	parallel bool
	keys     map[string]*ast.Term
	// pairs is scratch space for the objects being built, innermost
	// last: ast.NewObject copies what it is given.
	pairs [][2]*ast.Term
	// terms is where terms are allocated, many at a time: the input
	// lives as long as its evaluations, all of it.
	terms []ast.Term
}

func (c *converter) newTerm(v ast.Value) *ast.Term {
	if len(c.terms) == 0 {
		c.terms = make([]ast.Term, 256)
	}
	t := &c.terms[0]
	c.terms = c.terms[1:]
	t.Value = v
	return t
}

func newConverter() *converter { return &converter{keys: map[string]*ast.Term{}} }

// parallelList is the length from which a list is converted in parts on
// every core: a plan's resource_changes, a stream of manifests read as one
// document.
const parallelList = 1024

var (
	redactedTerm = ast.StringTerm(graph.Redacted)
	unknownKey   = ast.StringTerm("__unknown__")
)

func (c *converter) key(k string) *ast.Term {
	t, ok := c.keys[k]
	if !ok {
		t = c.newTerm(ast.String(k))
		c.keys[k] = t
	}
	return t
}

// str shares the term of a short string: most leaves of a plan are a few
// values repeated (actions, modes, providers, regions, booleans written
// as strings); long strings are mostly unique and not worth the lookup.
func (c *converter) str(s string) *ast.Term {
	if len(s) > 64 {
		return c.newTerm(ast.String(s))
	}
	return c.key(s)
}

func (c *converter) term(v *graph.Value) *ast.Term {
	if v == nil {
		return ast.InternedNullTerm
	}
	if v.IsSecret() && (v.Kind == graph.Bool || v.Kind == graph.Number || v.Kind == graph.String) {
		return redactedTerm
	}
	switch v.Kind {
	case graph.Null:
		return ast.InternedNullTerm
	case graph.Bool:
		return ast.InternedTerm(v.Bool)
	case graph.Number:
		if f := v.Num(); f == math.Trunc(f) && f >= -1 && f <= 512 {
			// OPA interns these.
			return ast.InternedTerm(int(f))
		}
		return c.newTerm(number(v.Num()))
	case graph.String:
		return c.str(v.Str)
	}
	return c.newTerm(c.value(v))
}

func (c *converter) value(v *graph.Value) ast.Value {
	if v == nil {
		return ast.Null{}
	}
	switch v.Kind {
	case graph.Unknown:
		items := [][2]*ast.Term{ast.Item(unknownKey, ast.InternedTerm(true))}
		if w := v.Why(); w != nil {
			if w.Partial != "" {
				items = append(items, ast.Item(c.key("partial"), ast.StringTerm(w.Partial)))
			}
			if w.Reason != "" {
				items = append(items, ast.Item(c.key("reason"), ast.StringTerm(w.Reason)))
			}
		}
		return ast.NewObject(items...)
	case graph.List:
		terms := make([]*ast.Term, len(v.List))
		if c.parallel && len(v.List) >= parallelList {
			const part = parallelList / 4
			workpool.Each((len(v.List)+part-1)/part, func(p int) {
				pc := newConverter()
				for i := p * part; i < min(len(v.List), (p+1)*part); i++ {
					terms[i] = pc.term(v.List[i])
				}
			})
			return ast.NewArray(terms...)
		}
		for i, e := range v.List {
			terms[i] = c.term(e)
		}
		return ast.NewArray(terms...)
	case graph.Map:
		base := len(c.pairs)
		if v.HasSecretKeys() {
			// A secret key is shown numbered in key order.
			keys, shown := v.ShownKeys()
			for i, k := range keys {
				t := c.term(v.Map.Get(k))
				c.pairs = append(c.pairs, ast.Item(ast.StringTerm(shown[i]), t))
			}
		} else {
			// A Rego object keeps its keys in its own order: the map's
			// need not be sorted first.
			for k, e := range v.Map.All() {
				t := c.term(e)
				c.pairs = append(c.pairs, ast.Item(c.key(k), t))
			}
		}
		o := ast.NewObject(c.pairs[base:]...)
		clear(c.pairs[base:])
		c.pairs = c.pairs[:base]
		return o
	}
	return c.term(v).Value
}

// document is the input of raw policies for one document: its top-level
// keys that no compiled module reads are left out (a plan's
// planned_values, prior_state and configuration when the policies read
// only resource_changes), unless a module reads the input as a whole or by
// a computed key (whole).
func (c *converter) document(v *graph.Value, keys map[string]bool, whole bool) ast.Value {
	if whole || v == nil || v.Kind != graph.Map || v.HasSecretKeys() || v.IsSecret() {
		return c.value(v)
	}
	var pairs [][2]*ast.Term
	for k := range keys {
		if e, ok := v.Map.Lookup(k); ok {
			pairs = append(pairs, ast.Item(c.key(k), c.term(e)))
		}
	}
	return ast.NewObject(pairs...)
}

// inputKeys lists the top-level keys of input that the compiled modules
// read (input.resource_changes, input["kind"]); whole is true when one
// reads input itself (x := input, object.get(input, ...), a function
// given input) or a key computed at evaluation (input[k]), and then every
// key must be there. Keys named only in a with modifier or an unused rule
// are kept too: the list may be larger than needed, never smaller.
func (s *Set) inputKeys() (keys map[string]bool, whole bool) {
	s.keysOnce.Do(func() {
		s.keys = map[string]bool{}
		if s.compiler == nil {
			return
		}
		var vis *ast.GenericVisitor
		vis = ast.NewGenericVisitor(func(x any) bool {
			ref, ok := x.(ast.Ref)
			if !ok || len(ref) == 0 || !ref[0].Equal(ast.InputRootDocument) {
				return s.wholeInput
			}
			if len(ref) == 1 {
				s.wholeInput = true
				return true
			}
			k, ok := ref[1].Value.(ast.String)
			if !ok {
				s.wholeInput = true
				return true
			}
			s.keys[string(k)] = true
			// The rest of the reference may hold references of its own
			// (input.a[input.b]).
			for _, t := range ref[2:] {
				vis.Walk(t)
			}
			return true
		})
		for _, m := range s.compiler.Modules {
			vis.Walk(m)
		}
	})
	return s.keys, s.wholeInput
}

// number writes integers without an exponent, so sprintf("%v") in a
// policy prints 1000000 rather than 1e+06.
func number(f float64) ast.Value {
	// As in the graph's JSON form: infinity as the largest finite number,
	// NaN as null. OPA takes neither, and failed the policy with "illegal
	// value" on a manifest holding 1e400 or .inf.
	switch {
	case math.IsNaN(f):
		return ast.Null{}
	case math.IsInf(f, 0):
		f = math.Copysign(math.MaxFloat64, f)
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return ast.Number(strconv.FormatInt(int64(f), 10))
	}
	return ast.Number(strconv.FormatFloat(f, 'g', -1, 64))
}

// GraphValue is the whole graph in its documented JSON form
// (docs/graph-schema.md), what `eksguard graph` prints, built directly
// rather than through JSON text, which costs ten times more on a large
// plan. attrs supplies each resource's attributes, so those already built
// for resource policies are shared; nil builds them.
func GraphValue(g *graph.Graph, attrs func(*graph.Resource) ast.Value) ast.Value {
	if attrs == nil {
		c := newConverter()
		attrs = func(r *graph.Resource) ast.Value { return c.value(r.Attrs) }
	}
	rs := g.Resources()
	res := make([]*ast.Term, len(rs))
	for i, r := range rs {
		pairs := [][2]*ast.Term{
			item("id", ast.IntNumberTerm(r.ID)),
			item("type", ast.StringTerm(r.Type)),
			item("mode", ast.StringTerm(string(r.Mode))),
			item("name", ast.StringTerm(r.Name)),
			item("address", ast.StringTerm(r.Address)),
			item("attributes", ast.NewTerm(attrs(r))),
			item("range", ast.NewTerm(rangeValue(r.Range))),
			item("origin", ast.StringTerm(r.Origin)),
		}
		if len(r.Module) > 0 {
			mods := make([]*ast.Term, len(r.Module))
			for j, m := range r.Module {
				mods[j] = ast.ObjectTerm(item("name", ast.StringTerm(m.Name)), item("range", ast.NewTerm(rangeValue(m.Range))))
			}
			pairs = append(pairs, item("module", ast.ArrayTerm(mods...)))
		}
		res[i] = ast.ObjectTerm(pairs...)
	}
	edges := g.SortedEdges()
	es := make([]*ast.Term, len(edges))
	for i, e := range edges {
		es[i] = ast.ObjectTerm(
			item("from", ast.StringTerm(e.From.Address)),
			item("to", ast.StringTerm(e.To.Address)),
			item("attribute", ast.StringTerm(e.Attr)),
			item("from_id", ast.IntNumberTerm(e.From.ID)),
			item("to_id", ast.IntNumberTerm(e.To.ID)),
		)
	}
	return ast.NewObject(
		item("schema_version", ast.StringTerm(graph.SchemaVersion)),
		item("resources", ast.ArrayTerm(res...)),
		item("edges", ast.ArrayTerm(es...)),
	)
}

func item(k string, v *ast.Term) [2]*ast.Term { return ast.Item(ast.StringTerm(k), v) }

// rangeValue follows Range's JSON tags: zero line, column and end line
// are left out.
func rangeValue(r graph.Range) ast.Value {
	pairs := [][2]*ast.Term{item("file", ast.StringTerm(r.File))}
	if r.Line != 0 {
		pairs = append(pairs, item("line", ast.IntNumberTerm(int(r.Line))))
	}
	if r.Column != 0 {
		pairs = append(pairs, item("column", ast.IntNumberTerm(int(r.Column))))
	}
	if r.EndLine != 0 {
		pairs = append(pairs, item("end_line", ast.IntNumberTerm(int(r.EndLine))))
	}
	return ast.NewObject(pairs...)
}
