// Package tfhcl reads a directory of Terraform HCL into the resource
// graph, evaluating it the way Terraform would before apply: variables
// with their type constraints and optional() defaults (defaults, tfvars,
// --var), locals, count and for_each, dynamic blocks, local, initialised
// and (when asked) fetched modules, and Terraform's built-in functions.
//
// Evaluation follows references, as Terraform's graph walk does: a value
// is computed when an expression first reads it, after what it reads
// itself, so no order of declaration or number of passes matters. What
// cannot be known before apply (an attribute AWS computes, a data source
// read from AWS, an impure function, a module that is not present) is
// unknown, and says why: every unknown carries its reason as a cty mark
// (package tfmark) into the graph.
package tfhcl

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"weak"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/frontend/tfhcl/modfetch"
	"github.com/eksguard/eksguard/internal/frontend/tfhcl/tfmark"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// Origin is the front-end name recorded on resources.
const Origin = "terraform"

const (
	maxModuleDepth = 32
	maxRefHops     = 32
	// maxDemandDepth bounds how deep one value's references may nest
	// (a local reading a local reading a local...). Real configurations
	// stay under a hundred; the bound keeps a generated or hostile one from
	// exhausting the stack.
	maxDemandDepth = 2048
)

// Options carry what the user says about the run.
type Options struct {
	Vars     map[string]string
	VarFiles []string
	// Root is the scanned tree; file() and templatefile() read nothing
	// outside it (nor outside a fetched module's own directory).
	Root string
	// AccountID, Partition and Region are what data.aws_caller_identity,
	// data.aws_partition and data.aws_region return, and what the ARNs
	// eksguard derives are built with. Empty AccountID leaves the account
	// part of those ARNs unknown; empty Partition means "aws"; empty
	// Region leaves the region unknown.
	AccountID string
	Partition string
	Region    string
	// Fetcher fetches modules that are neither local nor under
	// .terraform/modules (--download-modules); nil keeps the scan offline.
	Fetcher *modfetch.Fetcher
	// Limits bound the work of one root module.
	Limits Limits
	// Cache holds the files parsed for the root modules of one run, shared
	// with its other readers; nil parses this root module's files afresh.
	Cache *Cache
	// FollowOutside reads modules whose directory lies outside Root
	// (--follow-outside); otherwise such a call is reported unread.
	FollowOutside bool
}

type loader struct {
	g       *graph.Graph
	opts    Options
	rootDir string // the root module's directory: Terraform's working directory
	diags   diag.List
	noticed map[string]bool
	// modulesJSON maps a module key (eks.kms) to its directory, as
	// terraform init recorded it.
	modulesJSON map[string]string
	defs        map[string]*moduleDef
	byCfg       map[string][]*graph.Resource
	keys        map[*graph.Resource]string
	refs        []pendingRef
	funcs       map[string]function.Function
	stubbed     map[string]*funcUse
	// stack holds what is being evaluated, outermost first, to name a
	// cycle when one closes.
	stack []string
	b     *budget
	dir   string // the root module as the user named it
	// indexes caches each expression's computed indexes (computedIndexes).
	indexes map[hclsyntax.Expression][]*hclsyntax.IndexExpr
	// realRoots and inside cache readable's answers.
	realRoots []string
	inside    map[string]bool
	// cache holds the parses of the run; defs keeps the modules this root
	// module met, each taken once (its diagnostics, its functions).
	cache *Cache
	// exprRefs holds each expression's references (refsOf), attrOrder
	// each body's attributes as written (attrsOf).
	exprRefs  map[hclsyntax.Expression][]hcl.Traversal
	attrOrder map[*hclsyntax.Body][]*hclsyntax.Attribute
}

// attrsOf is attrsInOrder(body), sorted once per body of the root module.
func (l *loader) attrsOf(body *hclsyntax.Body) []*hclsyntax.Attribute {
	attrs, ok := l.attrOrder[body]
	if !ok {
		attrs = attrsInOrder(body)
		l.attrOrder[body] = attrs
	}
	return attrs
}

// refsOf is expr.Variables(), walked once per expression of the root
// module rather than at every evaluation and reference resolution of every
// instance: syntax trees do not change, so neither do their references.
// The result is shared and must not be changed.
func (l *loader) refsOf(expr hcl.Expression) []hcl.Traversal {
	// hclsyntax's expressions are pointers, so they can key a map; an
	// expression of another kind is walked each time.
	e, ok := expr.(hclsyntax.Expression)
	if !ok {
		return expr.Variables()
	}
	if trs, ok := l.exprRefs[e]; ok {
		return trs
	}
	trs := e.Variables()
	l.exprRefs[e] = trs
	return trs
}

type pendingRef struct {
	from  *graph.Resource
	in    *inst
	attr  string
	expr  hcl.Expression
	each  *eachScope
	pins  indexPins
	iters map[string]hcl.Expression
}

// eachScope lets each.value in a for_each instance resolve to the element
// of that key only, so a map of principals links each instance to its own.
type eachScope struct {
	forEach hcl.Expression
	key     string
}

const (
	pending uint8 = iota
	busy
	done
)

// slot is one value computed on demand, once.
type slot struct {
	st uint8
	v  cty.Value
}

// inst is one instance of a module: the root, or one key of a module call.
type inst struct {
	l        *loader
	def      *moduleDef
	parent   *inst
	call     *callState // the call that made it; nil for the root
	key      instanceKey
	jsonKey  string // module key as in .terraform/modules/modules.json
	chain    []graph.ModuleCall
	prefix   string // address prefix, e.g. module.a[0].
	root     map[string]rootValue
	varExprs map[string]hcl.Expression // the caller's arguments, for references
	vars     map[string]*slot
	locals   map[string]*slot
	res      map[string]*resState
	calls    map[string]*callState
	outputs  map[string]*slot
	path     cty.Value
	iters    map[string]hcl.Expression // dynamic iterators while a body is evaluated
}

// resState is a resource block evaluated: its instances with their values
// and graph attributes, kept for building the graph.
//
// The value references read (readValue) adds to each instance the
// attributes the module steps into that the block leaves unset, as
// unknowns with their reason (openObject): in a registry module that is a
// hundred or more per instance, most of the memory an evaluation holds.
// It is built when an expression reads the resource, not for every
// resource evaluated (about half of them are read by none: an attachment,
// a policy), and kept until the next collection only: most reads step
// into one attribute (aws_iam_role.this[0].arn) and drop the rest, so
// keeping it for the whole evaluation held memory nothing used. A read
// after a collection builds it again (on terraform-aws-eks one instance
// in eight is built twice); an instance's value is the same whenever it is
// built, and whatever still holds the old one holds an equal value.
type resState struct {
	slot
	insts []resInst
	// evaluated: the slot's function ran to its end, so insts, mode and
	// why are complete; otherwise the slot's value (a cycle, a panic, the
	// budget) is what a reference reads.
	evaluated bool
	mode, why string
	// read is the value references read, until the next collection.
	read weak.Pointer[cty.Value]
}

type resInst struct {
	key instanceKey
	// v is the instance's value, with the attributes derived from its
	// configuration (withComputed), not opened.
	v     cty.Value
	gv    *graph.Value
	exprs []attrExpr
}

type callState struct {
	slot
	block  *hclsyntax.Block
	unread string // why the called module is not read; "" when it is
	def    *moduleDef
	dir    string
	mode   string // "", "count", "for_each"
	why    string // why the instances are not known, when they are not
	keys   []string
	kinfo  map[string]instanceKey
	insts  map[string]*inst
}

// LoadDir evaluates the root module in dir and adds its resources, and
// those of every module it calls, to g.
func LoadDir(g *graph.Graph, dir string, opts Options) diag.List {
	if opts.Root == "" {
		opts.Root = dir
	}
	if opts.Partition == "" {
		opts.Partition = "aws"
	}
	l := newLoader(g, dir, opts)
	// What this root module installed is read by it alone (see Cache).
	defer clear(l.cache.installed)
	defer l.openFunctions()()
	l.readModulesJSON(dir)
	def := l.parse(dir)
	root := l.newInst(def, nil, nil, instanceKey{}, "", nil, "")
	root.root = l.rootValues(def)
	root.build()
	for _, pr := range l.refs {
		for _, t := range l.resolveIn(pr.in, pr.expr, pr.each, l.keys[pr.from], pr.pins, pr.iters) {
			g.Link(pr.from, t, pr.attr)
		}
	}
	l.noticeStubs()
	return l.diags
}

// newLoader is the loader of the root module in dir; opts.Root and
// opts.Partition are set.
func newLoader(g *graph.Graph, dir string, opts Options) *loader {
	rootDir, err := filepath.Abs(dir)
	if err != nil {
		rootDir = dir
	}
	l := &loader{g: g, opts: opts, rootDir: rootDir, noticed: map[string]bool{}, defs: map[string]*moduleDef{},
		byCfg: map[string][]*graph.Resource{}, keys: map[*graph.Resource]string{}, stubbed: map[string]*funcUse{},
		b: newBudget(opts.Limits), dir: filepath.ToSlash(dir), indexes: map[hclsyntax.Expression][]*hclsyntax.IndexExpr{},
		inside: map[string]bool{}, exprRefs: map[hclsyntax.Expression][]hcl.Traversal{},
		attrOrder: map[*hclsyntax.Body][]*hclsyntax.Attribute{}}
	if l.cache = opts.Cache; l.cache == nil {
		l.cache = NewCache(false)
	}
	return l
}

func (l *loader) parse(dir string) *moduleDef {
	if d, ok := l.defs[dir]; ok {
		return d
	}
	d, diags := l.cache.parseModule(dir)
	l.diags = append(l.diags, diags...)
	l.defs[dir] = d
	l.stubFunctions(d)
	return d
}

func (l *loader) readModulesJSON(dir string) {
	l.modulesJSON = map[string]string{}
	b, err := os.ReadFile(filepath.Join(dir, ".terraform", "modules", "modules.json"))
	if err != nil {
		return
	}
	var mj struct {
		Modules []struct{ Key, Dir string }
	}
	if json.Unmarshal(b, &mj) != nil {
		l.diags = append(l.diags, diag.Diagnostic{Severity: diag.Warning, File: filepath.Join(dir, ".terraform/modules/modules.json"), Summary: "cannot read modules.json"})
		return
	}
	for _, m := range mj.Modules {
		l.modulesJSON[m.Key] = filepath.Join(dir, m.Dir)
	}
}

func (l *loader) newInst(def *moduleDef, parent *inst, call *callState, key instanceKey, prefix string, chain []graph.ModuleCall, jsonKey string) *inst {
	m := &inst{l: l, def: def, parent: parent, call: call, key: key, prefix: prefix, chain: chain, jsonKey: jsonKey,
		varExprs: map[string]hcl.Expression{}, vars: map[string]*slot{}, locals: map[string]*slot{},
		res: map[string]*resState{}, calls: map[string]*callState{}, outputs: map[string]*slot{}}
	// path.module is relative to the working directory, as Terraform
	// gives it, so file("${path.module}/x") resolves from there.
	rel := def.dir
	if abs, err := filepath.Abs(def.dir); err == nil {
		if r, err := filepath.Rel(l.rootDir, abs); err == nil {
			rel = r
		} else {
			rel = abs
		}
	}
	m.path = cty.ObjectVal(map[string]cty.Value{"module": cty.StringVal(filepath.ToSlash(rel)), "root": cty.StringVal("."),
		"cwd": cty.StringVal(filepath.ToSlash(l.rootDir))})
	if call != nil {
		for name, a := range call.block.Body.Attributes {
			if !moduleMeta[name] {
				m.varExprs[name] = a.Expr
			}
		}
	}
	return m
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func objectOf(m map[string]cty.Value) cty.Value {
	if len(m) == 0 {
		return cty.EmptyObjectVal
	}
	return cty.ObjectVal(m)
}

var terraformVal = cty.ObjectVal(map[string]cty.Value{"workspace": cty.StringVal("default"), "applying": cty.False})

// demand computes a slot's value once. A slot met again while it is being
// computed closes a cycle of references: reported once with its position
// and the chain, and unknown, as Terraform refuses such a configuration.
func (m *inst) demand(s *slot, what string, rng hcl.Range, f func() cty.Value) cty.Value {
	l := m.l
	switch s.st {
	case done:
		return s.v
	case busy:
		chain := what
		for i := len(l.stack) - 1; i >= 0; i-- {
			chain = l.stack[i] + " → " + chain
			if l.stack[i] == what {
				break
			}
		}
		l.warnOnce("cycle|"+what, rng, "cycle of references: "+chain, "Terraform refuses such a configuration; the values in it are unknown")
		return tfmark.Unknown(cty.DynamicPseudoType, what+" is part of a cycle of references")
	}
	if l.b.exhausted() {
		return tfmark.Unknown(cty.DynamicPseudoType, l.b.spent)
	}
	if len(l.stack) >= maxDemandDepth {
		l.warnOnce("depth", rng, fmt.Sprintf("references nest more than %d deep", maxDemandDepth), "the values beyond are unknown")
		return tfmark.Unknown(cty.DynamicPseudoType, fmt.Sprintf("references nest more than %d deep", maxDemandDepth))
	}
	s.st = busy
	l.stack = append(l.stack, what)
	v := l.guard(what, rng, f)
	l.stack = l.stack[:len(l.stack)-1]
	s.v, s.st = v, done
	return v
}

// guard runs f, turning a panic (a case the evaluator does not handle)
// into a warning at rng and an unknown, so one odd construct costs one
// value, not the scan.
func (l *loader) guard(what string, rng hcl.Range, f func() cty.Value) (v cty.Value) {
	depth := len(l.stack)
	defer func() {
		if e := recover(); e != nil {
			l.stack = l.stack[:depth]
			l.warnOnce("panic|"+what, rng, "eksguard cannot evaluate "+what, fmt.Sprint(e))
			v = tfmark.Unknown(cty.DynamicPseudoType, "eksguard cannot evaluate "+what)
		}
	}()
	return f()
}

func (l *loader) warnOnce(key string, rng hcl.Range, summary, detail string) {
	l.reportOnce(key, diag.Warning, rng, summary, detail, nil)
}

// reportOnce adds a diagnostic at rng once per key, however many instances
// or evaluations meet the same problem.
func (l *loader) reportOnce(key string, sev diag.Severity, rng hcl.Range, summary, detail string, unread *diag.Unread) {
	if l.noticed[key] {
		return
	}
	l.noticed[key] = true
	r := rangeOf(rng)
	l.diags = append(l.diags, diag.Diagnostic{Severity: sev, File: r.File, Line: int(r.Line), Column: int(r.Column),
		Summary: summary, Detail: detail, Unread: unread})
}

// eval evaluates an expression. An error makes the value unknown with the
// error as its reason, and is reported once as a warning with its
// position; it never stops the scan nor turns into a false.
func (m *inst) eval(expr hcl.Expression, ctx *hcl.EvalContext) (v cty.Value) {
	defer func() {
		if e := recover(); e != nil {
			r := rangeOf(expr.Range())
			m.l.warnOnce(fmt.Sprintf("panic|%s:%d", r.File, r.Line), expr.Range(), "cannot evaluate this expression", fmt.Sprint(e))
			v = tfmark.Unknown(cty.DynamicPseudoType, fmt.Sprintf("the expression at %s:%d cannot be evaluated", r.File, r.Line))
		}
	}()
	b := m.l.b
	if b.exhausted() {
		return tfmark.Unknown(cty.DynamicPseudoType, b.spent)
	}
	defer b.expression()()
	if why := m.invalidRefs(expr, ctx); why != "" {
		return tfmark.Unknown(cty.DynamicPseudoType, why)
	}
	v, d := expr.Value(ctx)
	switch {
	case b.exhausted():
		// Reported where time ran out; the rest of the module is unknown.
		m.l.overBudget("time", expr.Range(), "root module "+m.l.dir, b.spent)
	case b.over != "":
		r := rangeOf(expr.Range())
		m.l.overBudget(fmt.Sprintf("steps|%s:%d", r.File, r.Line), expr.Range(), "root module "+m.l.dir, b.over)
		return tfmark.Unknown(cty.DynamicPseudoType, b.over)
	}
	if !d.HasErrors() {
		for _, x := range d {
			if x.Subject != nil {
				r := rangeOf(*x.Subject)
				m.l.warnOnce(fmt.Sprintf("eval|%s:%d:%d|%s", r.File, r.Line, r.Column, x.Summary), *x.Subject, x.Summary, x.Detail)
			}
		}
		return m.withRefReasons(v, expr, ctx)
	}
	for _, x := range d {
		if x.Severity != hcl.DiagError {
			continue
		}
		rng := expr.Range()
		if x.Subject != nil {
			rng = *x.Subject
		}
		r := rangeOf(rng)
		what := fmt.Sprintf("%s at %s:%d", strings.TrimSuffix(x.Summary, "."), r.File, r.Line)
		// An instance that may not exist is no error unless Terraform
		// would reject the expression whatever it reads: the values that
		// make the instance exist may well be those that make it valid.
		if why := uncertainInstance(ctx); why != "" && !failsWhateverValues(expr, ctx) {
			return tfmark.Unknown(cty.DynamicPseudoType, why+" (where it exists: "+what+")")
		}
		m.l.warnOnce(fmt.Sprintf("eval|%s:%d:%d|%s", r.File, r.Line, r.Column, x.Summary), rng, x.Summary, x.Detail)
		return tfmark.Unknown(cty.DynamicPseudoType, what)
	}
	return cty.DynamicVal
}

// withRefReasons gives the unknowns in v that say no reason the reasons
// of the unknown values read by the expression that computed each of
// them. HCL drops them in places: a for expression over a collection
// whose type is not known yet (slice() of a data source's list) is
// unknown with none of the collection's marks. Object and tuple
// constructors are followed down to the item that made the unknown, so it
// is not given the reason of another item.
func (m *inst) withRefReasons(v cty.Value, expr hcl.Expression, ctx *hcl.EvalContext) cty.Value {
	uv, marks := v.Unmark()
	if hasWhy(marks) || uv.IsWhollyKnown() {
		return v
	}
	if !uv.IsKnown() {
		return markLeaves(v, m.refReasons(expr, ctx))
	}
	switch e := expr.(type) {
	case *hclsyntax.ParenthesesExpr:
		return m.withRefReasons(v, e.Expression, ctx)
	case *hclsyntax.TupleConsExpr:
		if uv.Type().IsTupleType() && uv.LengthInt() == len(e.Exprs) {
			elems := make([]cty.Value, len(e.Exprs))
			for i, x := range e.Exprs {
				elems[i] = m.withRefReasons(uv.Index(cty.NumberIntVal(int64(i))), x, ctx)
			}
			return cty.TupleVal(elems).WithMarks(marks)
		}
	case *hclsyntax.ObjectConsExpr:
		if uv.Type().IsObjectType() {
			attrs := uv.AsValueMap()
			for _, item := range e.Items {
				k, d := item.KeyExpr.Value(ctx)
				if d.HasErrors() || !k.IsKnown() || k.IsMarked() || k.Type() != cty.String {
					continue
				}
				if a, ok := attrs[k.AsString()]; ok {
					attrs[k.AsString()] = m.withRefReasons(a, item.ValueExpr, ctx)
				}
			}
			return cty.ObjectVal(attrs).WithMarks(marks)
		}
	}
	return markLeaves(v, m.refReasons(expr, ctx))
}

// refReasons are the reasons of the unknown values expr reads.
func (m *inst) refReasons(expr hcl.Expression, ctx *hcl.EvalContext) []string {
	var out []string
	seen := map[string]bool{}
	for _, tr := range m.l.refsOf(expr) {
		// The longest part of the reference that can be read: an index
		// into an unknown list cannot, nor a for expression's own names.
		for n := len(tr); n > 0; n-- {
			rv, d := tr[:n].TraverseAbs(ctx)
			if d.HasErrors() {
				continue
			}
			if urv, _ := rv.UnmarkDeep(); !urv.IsWhollyKnown() {
				if why := tfmark.First(rv); why != "" && !seen[why] {
					seen[why] = true
					out = append(out, why)
				}
			}
			break
		}
	}
	return out
}

func hasWhy(marks cty.ValueMarks) bool {
	for mk := range marks {
		if _, ok := mk.(tfmark.Why); ok {
			return true
		}
	}
	return false
}

// markLeaves gives each unknown in v that has no reason, on itself or on
// a value holding it, the reasons given.
func markLeaves(v cty.Value, reasons []string) cty.Value {
	if len(reasons) == 0 {
		return v
	}
	uv, marks := v.Unmark()
	if hasWhy(marks) || uv.IsWhollyKnown() {
		return v
	}
	if !uv.IsKnown() {
		for _, r := range reasons {
			v = v.Mark(tfmark.Why{Reason: r})
		}
		return v
	}
	t := uv.Type()
	switch {
	case t.IsObjectType():
		attrs := uv.AsValueMap()
		for k, a := range attrs {
			attrs[k] = markLeaves(a, reasons)
		}
		return cty.ObjectVal(attrs).WithMarks(marks)
	case t.IsTupleType():
		elems := uv.AsValueSlice()
		for i, e := range elems {
			elems[i] = markLeaves(e, reasons)
		}
		return cty.TupleVal(elems).WithMarks(marks)
	case t.IsListType() && uv.LengthInt() > 0:
		elems := uv.AsValueSlice()
		for i, e := range elems {
			elems[i] = markLeaves(e, reasons)
		}
		return cty.ListVal(elems).WithMarks(marks)
	case t.IsMapType() && uv.LengthInt() > 0:
		elems := uv.AsValueMap()
		for k, e := range elems {
			elems[k] = markLeaves(e, reasons)
		}
		return cty.MapVal(elems).WithMarks(marks)
	}
	// A set's elements are its identity; marking one inside is left to
	// the reason marked on the set.
	return v.Mark(tfmark.Why{Reason: reasons[0]})
}

// uncertainInstance says why the instance an expression is evaluated in
// may not exist, or "" when it surely does. expand gives the one instance
// it checks for an unknown count or for_each an unknown count.index or
// each.key carrying why, and every other instance known ones.
func uncertainInstance(ctx *hcl.EvalContext) string {
	for c := ctx; c != nil; c = c.Parent() {
		for _, name := range [...]string{"count", "each"} {
			v, ok := c.Variables[name]
			if !ok {
				continue
			}
			uv, _ := v.Unmark()
			if !uv.Type().IsObjectType() || uv.IsNull() || !uv.IsKnown() {
				return ""
			}
			attr := map[string]string{"count": "index", "each": "key"}[name]
			if !uv.Type().HasAttribute(attr) {
				return ""
			}
			k := uv.GetAttr(attr)
			if k.IsKnown() {
				return ""
			}
			if why := tfmark.First(k); why != "" {
				return why
			}
			return "the " + name + " of this block is not known"
		}
	}
	return ""
}

// failsWhateverValues tells whether expr fails with every variable,
// local, resource, data source, module output and instance key it reads
// unknown: the errors Terraform gives in validate, before any value is
// known (a literal of the wrong type, a function that does not exist, a
// name not declared).
func failsWhateverValues(expr hcl.Expression, ctx *hcl.EvalContext) bool {
	vars := map[string]cty.Value{}
	var chain []*hcl.EvalContext
	for c := ctx; c != nil; c = c.Parent() {
		chain = append(chain, c)
	}
	for i := len(chain) - 1; i >= 0; i-- {
		for k, v := range chain[i].Variables {
			vars[k] = v
		}
	}
	for root, v := range vars {
		switch root {
		case "path", "terraform":
		case "data", "resource":
			// data.TYPE.NAME, resource.TYPE.NAME: the types and names
			// stay declared, their values are unknown.
			vars[root] = namesOf(v, func(t cty.Value) cty.Value { return namesOf(t, nil) })
		default:
			vars[root] = namesOf(v, nil)
		}
	}
	c := ctx.NewChild()
	c.Variables = vars
	_, d := expr.Value(c)
	return d.HasErrors()
}

// namesOf keeps the attribute names of an object and makes each value
// unknown, or inner(value) when inner is given; anything but an object is
// unknown whole.
func namesOf(v cty.Value, inner func(cty.Value) cty.Value) cty.Value {
	uv, _ := v.Unmark()
	if !uv.IsKnown() || uv.IsNull() || !uv.Type().IsObjectType() {
		return cty.DynamicVal
	}
	out := map[string]cty.Value{}
	for name := range uv.Type().AttributeTypes() {
		if inner != nil {
			out[name] = inner(uv.GetAttr(name))
		} else {
			out[name] = cty.DynamicVal
		}
	}
	return cty.ObjectVal(out)
}

// singleAttrRoots are the reference roots Terraform reads as an object
// with one level of attributes (var.name, count.index, path.module).
var singleAttrRoots = map[string]bool{"var": true, "local": true, "count": true, "each": true, "path": true,
	"terraform": true, "module": true}

// invalidRefs reports, as the errors Terraform gives, the references of
// expr that name nothing and can never be valid: a bare name (True,
// FALSE, tutorial) is read as a resource type that must be followed by a
// resource name, and a bare var or count as an object that cannot be used
// whole. It returns why the expression's value is unknown, or "" when
// every reference can be resolved. Names the context defines (a dynamic
// block's iterator) are not references to check.
func (m *inst) invalidRefs(expr hcl.Expression, ctx *hcl.EvalContext) string {
	why := ""
	for _, tr := range m.l.refsOf(expr) {
		if len(tr) != 1 || tr.RootName() == "self" || definedIn(ctx, tr.RootName()) {
			continue
		}
		root := tr.RootName()
		detail := "A reference to a resource type must be followed by at least one attribute access, specifying the resource name."
		switch {
		case singleAttrRoots[root]:
			detail = fmt.Sprintf("The %q object cannot be accessed directly. Instead, access one of its attributes.", root)
		case root == "data":
			detail = `The "data" object must be followed by the data source type and name.`
		case root == "resource":
			detail = `The "resource" object must be followed by two attribute names: the resource type and the resource name.`
		default:
			switch strings.ToLower(root) {
			case "true", "false", "null":
				detail += fmt.Sprintf(" %s is not the literal %s: HCL's literals are written in lower case, so %s is read as a reference.",
					root, strings.ToLower(root), root)
			}
		}
		rng := tr.SourceRange()
		r := rangeOf(rng)
		m.l.reportOnce(fmt.Sprintf("ref|%s:%d:%d", r.File, r.Line, r.Column), diag.Error, rng, "Invalid reference", detail, nil)
		if why == "" {
			why = fmt.Sprintf("%s at %s:%d is an invalid reference, which Terraform rejects", root, r.File, r.Line)
		}
	}
	return why
}

// definedIn reports whether an evaluation context, or one of its parents,
// defines a variable.
func definedIn(ctx *hcl.EvalContext, name string) bool {
	for c := ctx; c != nil; c = c.Parent() {
		if _, ok := c.Variables[name]; ok {
			return true
		}
	}
	return false
}

// ctxFor builds the evaluation context of expressions with references
// trs, computing just what they read.
func (m *inst) ctxFor(trs []hcl.Traversal) *hcl.EvalContext {
	vars := map[string]cty.Value{"path": m.path, "terraform": terraformVal}
	var vs, ls map[string]cty.Value
	res := map[string]map[string]cty.Value{}
	data := map[string]map[string]cty.Value{}
	aliased := map[string]map[string]cty.Value{} // resource.TYPE.NAME
	mods := map[string]map[string]bool{}         // nil set: every output
	for _, tr := range trs {
		if len(tr) < 2 {
			continue
		}
		name := attrName(tr[1])
		switch root := tr.RootName(); root {
		case "var":
			if m.def.vars[name] != nil {
				if vs == nil {
					vs = map[string]cty.Value{}
				}
				vs[name] = m.variable(name)
			}
		case "local":
			if m.def.locals[name] != nil {
				if ls == nil {
					ls = map[string]cty.Value{}
				}
				ls[name] = m.local(name)
			}
		case "module":
			if m.def.callByName[name] == nil {
				continue
			}
			out := outputStep(tr[2:])
			set, seen := mods[name]
			switch {
			case out == "":
				mods[name] = nil
			case !seen:
				mods[name] = map[string]bool{out: true}
			case set != nil:
				set[out] = true
			}
		case "data":
			if len(tr) < 3 {
				continue
			}
			rd := m.def.resByKey["data."+name+"."+attrName(tr[2])]
			if rd == nil {
				continue
			}
			if data[name] == nil {
				data[name] = map[string]cty.Value{}
			}
			data[name][attrName(tr[2])] = m.resource(rd)
		case "resource":
			// Terraform's other spelling of a managed resource, TYPE.NAME.
			if len(tr) < 3 {
				continue
			}
			rd := m.def.resByKey[name+"."+attrName(tr[2])]
			if rd == nil {
				continue
			}
			if aliased[name] == nil {
				aliased[name] = map[string]cty.Value{}
			}
			aliased[name][attrName(tr[2])] = m.resource(rd)
		case "count", "each", "self", "path", "terraform":
		default:
			rd := m.def.resByKey[root+"."+name]
			if rd == nil {
				continue
			}
			if res[root] == nil {
				res[root] = map[string]cty.Value{}
			}
			res[root][name] = m.resource(rd)
		}
	}
	if vs != nil {
		vars["var"] = objectOf(vs)
	}
	if ls != nil {
		vars["local"] = objectOf(ls)
	}
	for t, byName := range res {
		vars[t] = objectOf(byName)
	}
	if len(aliased) > 0 {
		a := map[string]cty.Value{}
		for t, byName := range aliased {
			a[t] = objectOf(byName)
		}
		vars["resource"] = objectOf(a)
	}
	if len(data) > 0 {
		d := map[string]cty.Value{}
		for t, byName := range data {
			d[t] = objectOf(byName)
		}
		vars["data"] = objectOf(d)
	}
	if len(mods) > 0 {
		// In a fixed order, as each may demand values and give
		// diagnostics (attrsInOrder).
		names := make([]string, 0, len(mods))
		for name := range mods {
			names = append(names, name)
		}
		sort.Strings(names)
		mv := map[string]cty.Value{}
		for _, name := range names {
			mv[name] = m.callValue(name, mods[name])
		}
		vars["module"] = objectOf(mv)
	}
	return &hcl.EvalContext{Variables: vars, Functions: m.l.funcs}
}

// outputStep is the output a module reference reads (module.x.out,
// module.x[0].out), or "" when it reads the whole module.
func outputStep(rest hcl.Traversal) string {
	if len(rest) > 0 {
		if _, ok := rest[0].(hcl.TraverseIndex); ok {
			rest = rest[1:]
		}
	}
	if len(rest) > 0 {
		return attrName(rest[0])
	}
	return ""
}

// variable is the value the module sees for var.name.
func (m *inst) variable(name string) cty.Value {
	vd := m.def.vars[name]
	s := m.vars[name]
	if s == nil {
		s = &slot{}
		m.vars[name] = s
	}
	return m.demand(s, m.prefix+"var."+name, vd.b.DefRange(), func() cty.Value {
		if m.parent == nil {
			rv, ok := m.root[name]
			return vd.finalValue(name, rv.v, ok, rv.where,
				"var."+name+" is not set: it has no default, and no tfvars file or --var gives it", &m.l.diags)
		}
		a := m.call.block.Body.Attributes[name]
		if a == nil || moduleMeta[name] {
			return vd.finalValue(name, cty.NilVal, false, m.call.block.DefRange(),
				"var."+name+" is not given by "+strings.TrimSuffix(m.prefix, "."), &m.l.diags)
		}
		given := m.parent.eval(a.Expr, instCtx(m.parent.ctxFor(m.l.refsOf(a.Expr)), m.call.mode, m.key))
		return vd.finalValue(name, given, true, a.Expr.Range(), "", &m.l.diags)
	})
}

func (m *inst) local(name string) cty.Value {
	a := m.def.locals[name]
	s := m.locals[name]
	if s == nil {
		s = &slot{}
		m.locals[name] = s
	}
	return m.demand(s, m.prefix+"local."+name, a.SrcRange, func() cty.Value {
		return m.eval(a.Expr, m.ctxFor(m.l.refsOf(a.Expr)))
	})
}

func (m *inst) output(name string) cty.Value {
	b := m.def.outputs[name]
	s := m.outputs[name]
	if s == nil {
		s = &slot{}
		m.outputs[name] = s
	}
	return m.demand(s, m.prefix+"output."+name, b.DefRange(), func() cty.Value {
		a := b.Body.Attributes["value"]
		if a == nil {
			return cty.NullVal(cty.DynamicPseudoType)
		}
		v := m.eval(a.Expr, m.ctxFor(m.l.refsOf(a.Expr)))
		if s := b.Body.Attributes["sensitive"]; s != nil {
			if sv, d := s.Expr.Value(nil); !d.HasErrors() && sv.Type() == cty.Bool && sv.IsKnown() && !sv.IsNull() && sv.True() {
				v = v.Mark(tfmark.Sensitive)
			}
		}
		return v
	})
}

// resource evaluates a resource or data block and returns the value
// references to it read: a tuple under count, an object under for_each,
// else the one object.
func (m *inst) resource(rd *resDef) cty.Value {
	rs, v := m.evalResource(rd)
	if !rs.evaluated {
		return v
	}
	if p := rs.read.Value(); p != nil {
		return *p
	}
	// Nothing else references the box, so the next collection drops it
	// whatever holds the value itself.
	p := new(cty.Value)
	*p = m.l.guard(m.prefix+rd.key, rd.b.DefRange(), func() cty.Value { return m.readValue(rd, rs) })
	rs.read = weak.Make(p)
	return *p
}

// evalResource evaluates a resource or data block's instances once, and
// returns its state with the slot's value, which stands for the resource
// when the evaluation did not complete (rs.evaluated false).
func (m *inst) evalResource(rd *resDef) (*resState, cty.Value) {
	rs := m.res[rd.key]
	if rs == nil {
		rs = &resState{}
		m.res[rd.key] = rs
	}
	addr := m.prefix + rd.key
	v := m.demand(&rs.slot, addr, rd.b.DefRange(), func() cty.Value {
		ctx := m.ctxFor(rd.refs)
		mode, keys, why := m.expand(rd.b, ctx, addr)
		for _, k := range keys {
			if b := m.l.b; b.resources >= b.lim.Resources {
				m.l.overBudget("resources", rd.b.DefRange(), graph.StripInstanceKeys(addr),
					fmt.Sprintf("this root module has more than %d resource instances (--max-resources)", b.lim.Resources))
				break
			}
			m.l.b.resources++
			var exprs []attrExpr
			v, gv := m.evalBody(rd.b.Body, instCtx(ctx, mode, k), "", &exprs, resourceMeta)
			v = m.withComputed(rd, addr+k.key, v)
			rs.insts = append(rs.insts, resInst{key: k, v: v, gv: gv, exprs: exprs})
		}
		rs.mode, rs.why, rs.evaluated = mode, why, true
		return cty.NilVal
	})
	return rs, v
}

// readValue is the value references to an evaluated resource read: its
// instances opened (openObject), as a tuple under count, an object under
// for_each, else the one object.
func (m *inst) readValue(rd *resDef, rs *resState) cty.Value {
	if rs.why != "" {
		return tfmark.Unknown(cty.DynamicPseudoType, rs.why)
	}
	addr := m.prefix + rd.key
	source := dataSourceOf(rd)
	var vals []cty.Value
	byKey := map[string]cty.Value{}
	for _, ri := range rs.insts {
		v := m.opened(rd, addr+ri.key.key, source, ri.v)
		vals = append(vals, v)
		if k := ri.key; k.each[0].IsKnown() && k.each[0].Type() == cty.String {
			byKey[k.each[0].AsString()] = v
		}
	}
	switch {
	case rs.mode == "count":
		if len(vals) == 0 {
			return cty.EmptyTupleVal
		}
		return cty.TupleVal(vals)
	case rs.mode == "for_each":
		return objectOf(byKey)
	case len(vals) == 0:
		return tfmark.Unknown(cty.DynamicPseudoType, addr+" is not read: a limit was reached")
	}
	return vals[0]
}

// instanceKey is one instance of a block with count or for_each.
type instanceKey struct {
	key   string    // as in the address: [0], ["a"]; "" when single or unknown
	index cty.Value // count.index
	each  [2]cty.Value
}

// expand gives the instances of a block with count or for_each. When
// they cannot be known, it gives one instance whose count.index or
// each.* are unknown, so the block is still checked, and why.
func (m *inst) expand(b *hclsyntax.Block, ctx *hcl.EvalContext, addr string) (mode string, keys []instanceKey, why string) {
	unknownBecause := func(arg string, v cty.Value) string {
		s := "the " + arg + " of " + addr + " is not known"
		if r := tfmark.First(v); r != "" {
			s += ": " + r
		}
		return s
	}
	if a := b.Body.Attributes["count"]; a != nil {
		v := m.eval(a.Expr, ctx)
		uv, _ := v.Unmark()
		if !uv.IsKnown() || uv.IsNull() || uv.Type() != cty.Number {
			// count.index carries why, so every attribute built from it
			// says so rather than being unknown for no stated reason.
			why := unknownBecause("count", v)
			return "count", []instanceKey{{index: tfmark.Unknown(cty.Number, why)}}, why
		}
		n, _ := uv.AsBigFloat().Int64()
		if max := int64(m.l.b.lim.Instances); n > max {
			m.l.overBudget("count|"+addr, a.Expr.Range(), addr,
				fmt.Sprintf("the count of %s is %d; eksguard reads the first %d (--max-instances)", addr, n, max))
			n = max
		}
		for i := int64(0); i < n; i++ {
			keys = append(keys, instanceKey{key: "[" + itoa(i) + "]", index: cty.NumberIntVal(i)})
		}
		return "count", keys, ""
	}
	if a := b.Body.Attributes["for_each"]; a != nil {
		v := m.eval(a.Expr, ctx)
		uv, _ := v.UnmarkDeep()
		// A map's keys are known even when its values are not; a set's
		// elements are its keys and must be known.
		keysKnown := uv.IsKnown() && !uv.IsNull() && uv.CanIterateElements()
		set := keysKnown && (uv.Type().IsSetType() || uv.Type().IsListType() || uv.Type().IsTupleType())
		if set {
			keysKnown = uv.IsWhollyKnown()
		}
		if !keysKnown {
			why := unknownBecause("for_each", v)
			return "for_each", []instanceKey{{each: [2]cty.Value{tfmark.Unknown(cty.String, why), tfmark.Unknown(cty.DynamicPseudoType, why)}}}, why
		}
		// Elements keep their own marks (the reasons inside each.value).
		sv, _ := v.Unmark()
		if n, max := sv.LengthInt(), m.l.b.lim.Instances; n > max {
			m.l.overBudget("for_each|"+addr, a.Expr.Range(), addr,
				fmt.Sprintf("the for_each of %s has %d elements; eksguard reads the first %d (--max-instances)", addr, n, max))
		}
		for it := sv.ElementIterator(); it.Next() && len(keys) < m.l.b.lim.Instances; {
			k, e := it.Element()
			if set {
				k = e
			}
			k, _ = k.Unmark()
			if k.Type() != cty.String {
				continue
			}
			keys = append(keys, instanceKey{key: keyString(k), each: [2]cty.Value{k, e}})
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i].key < keys[j].key })
		return "for_each", keys, ""
	}
	return "", []instanceKey{{}}, ""
}

func instCtx(base *hcl.EvalContext, mode string, k instanceKey) *hcl.EvalContext {
	switch mode {
	case "count":
		c := base.NewChild()
		c.Variables = map[string]cty.Value{"count": cty.ObjectVal(map[string]cty.Value{"index": k.index})}
		return c
	case "for_each":
		c := base.NewChild()
		c.Variables = map[string]cty.Value{"each": cty.ObjectVal(map[string]cty.Value{"key": k.each[0], "value": k.each[1]})}
		return c
	}
	return base
}

var resourceMeta = map[string]bool{"count": true, "for_each": true, "provider": true, "depends_on": true,
	"lifecycle": true, "provisioner": true, "connection": true}

var moduleMeta = map[string]bool{"source": true, "version": true, "providers": true, "count": true,
	"for_each": true, "depends_on": true}

// expandCall reads the module a call names and creates its instances.
func (m *inst) expandCall(name string) *callState {
	b := m.def.callByName[name]
	cs := m.calls[name]
	if cs == nil {
		cs = &callState{block: b, insts: map[string]*inst{}, kinfo: map[string]instanceKey{}}
		m.calls[name] = cs
	}
	addr := m.prefix + "module." + name
	m.demand(&cs.slot, addr, b.DefRange(), func() cty.Value {
		key := name
		if m.jsonKey != "" {
			key = m.jsonKey + "." + name
		}
		dir, unread := m.moduleDir(b, key)
		if unread != "" {
			cs.unread = unread
			src := literalSource(b)
			// A module that calls itself is an error in Terraform too; a
			// module not at hand is only not read.
			sev := diag.Warning
			if unread == selfCall {
				sev = diag.Error
			}
			where := b.DefRange()
			// Positioned at the block's line without its column, as before.
			where.Start.Column = 0
			m.l.reportOnce(fmt.Sprintf("unread|%s:%d", where.Filename, where.Start.Line), sev, where,
				"module "+name+" ("+src+") is not read: "+unread,
				"its resources are not checked, and what depends on its outputs is unknown",
				&diag.Unread{Call: graph.StripInstanceKeys(addr), Source: src, Reason: unread})
			return cty.NilVal
		}
		cs.dir = dir
		cs.def = m.l.parse(dir)
		var trs []hcl.Traversal
		for _, meta := range []string{"count", "for_each"} {
			if a := b.Body.Attributes[meta]; a != nil {
				trs = append(trs, m.l.refsOf(a.Expr)...)
			}
		}
		mode, keys, why := m.expand(b, m.ctxFor(trs), addr)
		cs.mode, cs.why = mode, why
		for _, k := range keys {
			if b := m.l.b; b.moduleInstances >= b.lim.ModuleInstances {
				m.l.overBudget("modules", cs.block.DefRange(), graph.StripInstanceKeys(addr),
					fmt.Sprintf("this root module has more than %d module instances (--max-module-instances)", b.lim.ModuleInstances))
				break
			}
			m.l.b.moduleInstances++
			cs.keys = append(cs.keys, k.key)
			cs.kinfo[k.key] = k
			callName := "module." + name + k.key
			chain := append(append([]graph.ModuleCall(nil), m.chain...), graph.ModuleCall{Name: callName, Range: rangeOf(b.DefRange())})
			cs.insts[k.key] = m.l.newInst(cs.def, m, cs, k, m.prefix+callName+".", chain, key)
		}
		return cty.NilVal
	})
	return cs
}

// moduleDir finds the directory of the module a call names, or says why
// it cannot be read.
func (m *inst) moduleDir(b *hclsyntax.Block, key string) (dir, unread string) {
	src := literalSource(b)
	switch {
	case src == "":
		return "", "its source is not a literal string"
	case isLocalSource(src):
		dir = filepath.Join(m.def.dir, src)
	case m.l.modulesJSON[key] != "":
		dir = m.l.modulesJSON[key]
	case m.l.opts.Fetcher != nil:
		mod, err := m.l.opts.Fetcher.FetchModule(context.Background(), src, literalAttr(b, "version"))
		if err != nil {
			return "", "cannot be fetched: " + err.Error()
		}
		if mod.Stale != "" {
			m.l.warnOnce("stale|"+src, b.DefRange(), "module "+b.Labels[0]+" ("+src+") is read from the cache", mod.Stale)
		}
		dir = mod.Dir
	default:
		return "", "not downloaded: run terraform init, or scan with --download-modules"
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return "", "its directory " + filepath.ToSlash(dir) + " is missing"
	}
	if !m.l.opts.FollowOutside && !m.l.readable(dir) {
		return "", "its directory " + filepath.ToSlash(dir) + " is outside the scanned paths: scan a directory that contains it, or give --follow-outside"
	}
	if len(m.chain)+1 > maxModuleDepth || m.includes(dir) {
		return "", selfCall
	}
	return dir, ""
}

const selfCall = "it calls itself (directly or through other modules)"

// callValue is the value of module.name as an expression reads it, with
// the outputs named in outs (nil: all of them).
func (m *inst) callValue(name string, outs map[string]bool) cty.Value {
	cs := m.expandCall(name)
	switch {
	case cs.st != done:
		return tfmark.Unknown(cty.DynamicPseudoType, "module."+name+" is part of a cycle of references")
	case cs.unread != "":
		return tfmark.Unknown(cty.DynamicPseudoType, "module."+name+" is not read: "+cs.unread)
	case cs.why != "":
		return tfmark.Unknown(cty.DynamicPseudoType, cs.why)
	}
	instVal := func(c *inst) cty.Value {
		o := map[string]cty.Value{}
		for _, n := range c.def.outputNames {
			if outs == nil || outs[n] {
				o[n] = c.output(n)
			}
		}
		return objectOf(o)
	}
	switch cs.mode {
	case "count":
		var l []cty.Value
		for _, k := range cs.keys {
			l = append(l, instVal(cs.insts[k]))
		}
		if len(l) == 0 {
			return cty.EmptyTupleVal
		}
		return cty.TupleVal(l)
	case "for_each":
		o := map[string]cty.Value{}
		for _, k := range cs.keys {
			o[cs.kinfo[k].each[0].AsString()] = instVal(cs.insts[k])
		}
		return objectOf(o)
	}
	return instVal(cs.insts[""])
}

func (m *inst) includes(dir string) bool {
	abs, _ := filepath.Abs(dir)
	for p := m; p != nil; p = p.parent {
		if a, _ := filepath.Abs(p.def.dir); a == abs {
			return true
		}
	}
	return false
}

// build adds the module's resources to the graph, then those of the
// modules it calls. Everything is evaluated on the way, whether or not
// another expression reads it.
func (m *inst) build() {
	for _, rd := range m.def.resources {
		rs, _ := m.evalResource(rd)
		b := rd.b
		gmode := graph.Managed
		if b.Type == "data" {
			gmode = graph.Data
		}
		for _, ri := range rs.insts {
			gv := ri.gv
			if isPolicyDoc(b) {
				gv.Map.Set("json", fromCty(ri.v.GetAttr("json"), rangeOf(b.DefRange()), 0))
			}
			m.addDerived(rd, ri)
			rng := rangeOf(b.DefRange())
			rng.EndLine = graph.Clamp32(b.Body.SrcRange.End.Line)
			r := m.l.g.Add(&graph.Resource{Type: b.Labels[0], Mode: gmode, Name: b.Labels[1],
				Address: m.prefix + rd.key + ri.key.key, Module: m.chain, Attrs: gv, Range: rng, Origin: Origin,
				ConfigAddr: rd.key, ModulePath: strings.TrimSuffix(m.prefix, "."), RootModule: true})
			ck := strings.TrimSuffix(m.prefix, ".") + "|" + rd.key
			m.l.byCfg[ck] = append(m.l.byCfg[ck], r)
			m.l.keys[r] = ri.key.key
			for _, e := range ri.exprs {
				pr := pendingRef{from: r, in: m, attr: e.path, expr: e.expr, pins: e.pins, iters: e.iters}
				if fe := b.Body.Attributes["for_each"]; fe != nil && ri.key.each[0].IsKnown() && ri.key.each[0].Type() == cty.String {
					pr.each = &eachScope{forEach: fe.Expr, key: ri.key.each[0].AsString()}
				}
				m.l.refs = append(m.l.refs, pr)
			}
		}
	}
	for _, b := range m.def.providers {
		m.buildProvider(b)
	}
	names := make([]string, 0, len(m.def.calls))
	for _, b := range m.def.calls {
		names = append(names, b.Labels[0])
	}
	sort.Strings(names)
	for _, n := range names {
		cs := m.expandCall(n)
		for _, k := range cs.keys {
			if c := cs.insts[k]; c != nil {
				c.build()
			}
		}
	}
}

// providerMeta are the meta-arguments of a provider block.
var providerMeta = map[string]bool{"alias": true, "version": true}

// buildProvider adds a provider configuration to the graph (mode
// provider), addressed provider.<name>[.<alias>]: its arguments are code
// like any resource's, credentials written in it included.
func (m *inst) buildProvider(b *hclsyntax.Block) {
	name := b.Labels[0]
	key, rname := "provider."+name, name
	if alias := literalAttr(b, "alias"); alias != "" {
		key, rname = key+"."+alias, alias
	}
	var exprs []attrExpr
	_, gv := m.evalBody(b.Body, m.ctxFor(bodyTraversals(b.Body, providerMeta)), "", &exprs, providerMeta)
	rng := rangeOf(b.DefRange())
	rng.EndLine = graph.Clamp32(b.Body.SrcRange.End.Line)
	r := m.l.g.Add(&graph.Resource{Type: name, Mode: graph.Provider, Name: rname, Address: m.prefix + key,
		Module: m.chain, Attrs: gv, Range: rng, Origin: Origin, ConfigAddr: key, ModulePath: strings.TrimSuffix(m.prefix, "."), RootModule: true})
	for _, e := range exprs {
		m.l.refs = append(m.l.refs, pendingRef{from: r, in: m, attr: e.path, expr: e.expr, pins: e.pins, iters: e.iters})
	}
}

// attrExpr is an attribute expression met while building a resource, with
// the dotted path it sits at, for reference edges.
type attrExpr struct {
	path string
	expr hcl.Expression
	pins indexPins
	// iters are the dynamic blocks' iterators in scope (name → for_each
	// expression): what an iterator's value refers to is what the
	// collection does.
	iters map[string]hcl.Expression
}

// evalBody evaluates a block body into a cty object and, when gv is
// wanted (exprs != nil), a graph value with ranges. Nested blocks become
// lists of objects, as Terraform's plan renders them; dynamic blocks are
// expanded.
func (m *inst) evalBody(body *hclsyntax.Body, ctx *hcl.EvalContext, prefix string, exprs *[]attrExpr, skip map[string]bool) (cty.Value, *graph.Value) {
	obj := map[string]cty.Value{}
	gv := &graph.Value{Kind: graph.Map, Map: graph.NewFields(0), Range: rangeOf(body.SrcRange)}
	join := func(n string) string {
		if prefix == "" {
			return n
		}
		return prefix + "." + n
	}
	for _, a := range m.l.attrsOf(body) {
		name := a.Name
		if skip[name] {
			continue
		}
		v := m.eval(a.Expr, ctx)
		obj[name] = v
		if exprs != nil {
			gv.Map.Set(name, fromCty(v, rangeOf(a.SrcRange), 0))
			setRanges(a.Expr, gv.Map.Get(name), 0)
			if doc := m.encodedDoc(a.Expr, ctx); doc != nil {
				gv.Map.Get(name).SetDoc(doc)
			} else if gv.Map.Get(name).Kind == graph.Unknown {
				if doc := m.templateDocVia(a.Expr, ctx, 0); doc != nil {
					gv.Map.Get(name).SetDoc(doc)
				}
			}
			*exprs = append(*exprs, attrExpr{join(name), a.Expr, m.l.pinIndexes(a.Expr, ctx), m.iters})
		}
	}
	blocks := map[string][]cty.Value{}
	gblocks := map[string]*graph.Value{}
	add := func(typ string, v cty.Value, g *graph.Value, rng hcl.Range) {
		blocks[typ] = append(blocks[typ], v)
		if exprs != nil {
			if gblocks[typ] == nil {
				gblocks[typ] = &graph.Value{Kind: graph.List, Range: rangeOf(rng)}
			}
			gblocks[typ].List = append(gblocks[typ].List, g)
		}
	}
	unknownBlocks := map[string]hcl.Range{}
	unknownWhy := map[string]string{}
	for _, b := range body.Blocks {
		if skip[b.Type] {
			continue
		}
		if b.Type == "dynamic" && len(b.Labels) == 1 {
			typ := b.Labels[0]
			fe := b.Body.Attributes["for_each"]
			var content *hclsyntax.Block
			for _, cb := range b.Body.Blocks {
				if cb.Type == "content" {
					content = cb
				}
			}
			if fe == nil || content == nil {
				continue
			}
			iter := typ
			if it := b.Body.Attributes["iterator"]; it != nil {
				if t := hcl.ExprAsKeyword(it.Expr); t != "" {
					iter = t
				}
			}
			coll := m.eval(fe.Expr, ctx)
			// As in Terraform, the blocks are known when the collection's
			// keys are: its elements may hold unknowns.
			ucoll, _ := coll.Unmark()
			known := ucoll.IsKnown() && !ucoll.IsNull() && ucoll.CanIterateElements()
			if known && ucoll.Type().IsSetType() {
				known = ucoll.IsWhollyKnown()
			}
			if !known {
				unknownBlocks[typ] = b.DefRange()
				why := "the for_each of dynamic \"" + typ + "\" is not known"
				if r := tfmark.First(coll); r != "" {
					why += ": " + r
				}
				unknownWhy[typ] = why
				continue
			}
			scoll, _ := coll.Unmark()
			for it := scoll.ElementIterator(); it.Next(); {
				k, e := it.Element()
				c := ctx.NewChild()
				c.Variables = map[string]cty.Value{iter: cty.ObjectVal(map[string]cty.Value{"key": k, "value": e})}
				outer := m.iters
				m.iters = map[string]hcl.Expression{iter: fe.Expr}
				for k, x := range outer {
					if k != iter {
						m.iters[k] = x
					}
				}
				v, g := m.evalBody(content.Body, c, join(typ), exprs, nil)
				m.iters = outer
				if g != nil {
					g.Range = rangeOf(b.DefRange())
				}
				add(typ, v, g, b.DefRange())
			}
			continue
		}
		v, g := m.evalBody(b.Body, ctx, join(b.Type), exprs, nil)
		if g != nil {
			g.Range = rangeOf(b.DefRange())
		}
		add(b.Type, v, g, b.DefRange())
	}
	for typ, l := range blocks {
		obj[typ] = cty.TupleVal(l)
		if exprs != nil {
			gv.Map.Set(typ, gblocks[typ])
		}
	}
	for typ, rng := range unknownBlocks {
		if _, ok := obj[typ]; !ok {
			obj[typ] = tfmark.Unknown(cty.DynamicPseudoType, unknownWhy[typ])
			if exprs != nil {
				gv.Map.Set(typ, unknownValue(rangeOf(rng), unknownWhy[typ], ""))
			}
		}
	}
	if exprs == nil {
		gv = nil
	}
	return objectOf(obj), gv
}

func isPolicyDoc(b *hclsyntax.Block) bool {
	return b.Type == "data" && b.Labels[0] == "aws_iam_policy_document"
}

// literalAttr is a block argument written as a literal string, else "".
func literalAttr(b *hclsyntax.Block, name string) string {
	a := b.Body.Attributes[name]
	if a == nil {
		return ""
	}
	v, d := a.Expr.Value(nil)
	if d.HasErrors() || !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
		return ""
	}
	return v.AsString()
}

// readable tells whether a module directory lies inside the scanned path
// (symbolic links resolved) or the cache of fetched modules: a hostile
// repository must not make eksguard read configuration from elsewhere on
// the machine through a relative source.
// The roots are resolved once per root module, and each directory once:
// a module called from many instances is asked about many times.
func (l *loader) readable(dir string) bool {
	if ok, seen := l.inside[dir]; seen {
		return ok
	}
	if l.realRoots == nil {
		l.realRoots = []string{realPath(l.opts.Root)}
		if l.opts.Fetcher != nil {
			if c, err := l.opts.Fetcher.CacheRoot(); err == nil {
				l.realRoots = append(l.realRoots, realPath(c))
			}
		}
	}
	d, ok := realPath(dir), false
	for _, r := range l.realRoots {
		if rel, err := filepath.Rel(r, d); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			ok = true
		}
	}
	l.inside[dir] = ok
	return ok
}

// realPath is p absolute with its symbolic links resolved, as far as
// they resolve.
func realPath(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	if r, err := filepath.EvalSymlinks(p); err == nil {
		p = r
	}
	return p
}
