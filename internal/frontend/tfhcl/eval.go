// Package tfhcl reads a directory of Terraform HCL into the resource
// graph, evaluating it the way Terraform would before apply: variables
// (defaults, tfvars, -var), locals, count and for_each, dynamic blocks,
// local and already-downloaded modules, and the built-in functions real
// code uses. What cannot be known before apply (computed attributes, an
// unsupported function, a module that is not present) is unknown.
package tfhcl

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/eksguard/eksguard/internal/diag"
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
	maxInstances   = 10000
	passes         = 6
	maxRefHops     = 32
)

// Options carry variable values given on the command line.
type Options struct {
	Vars     map[string]string
	VarFiles []string
	// Root bounds file() and templatefile(): reads outside it are refused.
	Root string
}

type loader struct {
	g           *graph.Graph
	opts        Options
	diags       diag.List
	noticed     map[string]bool
	modulesJSON map[string]string
	defs        map[string]*moduleDef
	byCfg       map[string][]*graph.Resource
	keys        map[*graph.Resource]string
	refs        []pendingRef
}

type pendingRef struct {
	from *graph.Resource
	in   *inst
	attr string
	expr hcl.Expression
	each *eachScope
}

// eachScope lets each.value in a for_each instance resolve to the element
// of that key only, so a map of principals links each instance to its own.
type eachScope struct {
	forEach hcl.Expression
	key     string
}

// inst is one instance of a module: the root, or one key of a module call.
type inst struct {
	l        *loader
	def      *moduleDef
	parent   *inst
	jsonKey  string // module key as in .terraform/modules/modules.json
	chain    []graph.ModuleCall
	prefix   string // address prefix, e.g. module.a[0].
	vars     map[string]cty.Value
	varExprs map[string]hcl.Expression
	callCtx  *hcl.EvalContext // the caller's context for varExprs
	locals   map[string]cty.Value
	resVals  map[string]map[string]cty.Value
	dataVals map[string]map[string]cty.Value
	calls    map[string]*callState
	outputs  map[string]cty.Value
	funcs    map[string]function.Function
}

type callState struct {
	block *hclsyntax.Block
	mode  string // "", "count", "for_each"
	keys  []string
	insts map[string]*inst
}

// LoadDir evaluates the root module in dir and adds its resources, and
// those of every module it calls, to g.
func LoadDir(g *graph.Graph, dir string, opts Options) diag.List {
	if opts.Root == "" {
		opts.Root = dir
	}
	l := &loader{g: g, opts: opts, noticed: map[string]bool{}, defs: map[string]*moduleDef{},
		byCfg: map[string][]*graph.Resource{}, keys: map[*graph.Resource]string{}}
	l.readModulesJSON(dir)
	def := l.parse(dir)
	root := l.newInst(def, nil, "", nil, "")
	root.vars = l.rootVars(def)
	// Values flow between resources, modules and outputs in any order;
	// rounds repeat until nothing changes (most code settles in two or
	// three), bounded so a pathological configuration cannot loop.
	for i := 0; i < passes; i++ {
		if !root.pass(0) && i > 0 {
			break
		}
	}
	root.build()
	for _, pr := range l.refs {
		for _, t := range l.resolveIn(pr.in, pr.expr, pr.each, l.keys[pr.from]) {
			g.Link(pr.from, t, pr.attr)
		}
	}
	l.checkLocalCycles(def)
	return l.diags
}

func (l *loader) parse(dir string) *moduleDef {
	if d, ok := l.defs[dir]; ok {
		return d
	}
	d, diags := parseModule(dir)
	l.diags = append(l.diags, diags...)
	l.defs[dir] = d
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

func (l *loader) newInst(def *moduleDef, parent *inst, prefix string, chain []graph.ModuleCall, jsonKey string) *inst {
	return &inst{l: l, def: def, parent: parent, prefix: prefix, chain: chain, jsonKey: jsonKey,
		vars: map[string]cty.Value{}, varExprs: map[string]hcl.Expression{}, locals: map[string]cty.Value{},
		resVals: map[string]map[string]cty.Value{}, dataVals: map[string]map[string]cty.Value{},
		calls: map[string]*callState{}, outputs: map[string]cty.Value{}, funcs: functions(def.dir, l.opts.Root)}
}

// rootVars resolves root module variables: default, terraform.tfvars,
// *.auto.tfvars in lexical order, --var-file, then --var. A variable with
// no value anywhere is unknown.
func (l *loader) rootVars(def *moduleDef) map[string]cty.Value {
	vals := map[string]cty.Value{}
	for name, b := range def.vars {
		if a := b.Body.Attributes["default"]; a != nil {
			vals[name] = eval(a.Expr, nil)
		} else {
			vals[name] = cty.DynamicVal
		}
	}
	files := []string{filepath.Join(def.dir, "terraform.tfvars")}
	auto, _ := filepath.Glob(filepath.Join(def.dir, "*.auto.tfvars"))
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
		file, hd, deep := parseConfig(src, filepath.ToSlash(f))
		if deep != nil {
			l.diags = append(l.diags, *deep)
			continue
		}
		if hd.HasErrors() {
			l.diags = append(l.diags, fromHCL(hd)...)
			continue
		}
		attrs, _ := file.Body.JustAttributes()
		for name, a := range attrs {
			vals[name] = eval(a.Expr, nil)
		}
	}
	names := make([]string, 0, len(l.opts.Vars))
	for k := range l.opts.Vars {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		raw := l.opts.Vars[k]
		vals[k] = cty.StringVal(raw)
		if expr, d := hclsyntax.ParseExpression([]byte(raw), "--var", hcl.InitialPos); !d.HasErrors() {
			if v := eval(expr, nil); v.IsKnown() {
				vals[k] = v
			}
		}
	}
	return vals
}

// eval evaluates an expression; any error makes the value unknown rather
// than stopping the scan or turning into a false.
func eval(expr hcl.Expression, ctx *hcl.EvalContext) (v cty.Value) {
	defer func() {
		if recover() != nil {
			v = cty.DynamicVal
		}
	}()
	v, d := expr.Value(ctx)
	if d.HasErrors() {
		return cty.DynamicVal
	}
	return v
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

func (m *inst) ctx() *hcl.EvalContext {
	vars := map[string]cty.Value{
		"var":       objectOf(m.vars),
		"local":     objectOf(m.locals),
		"path":      cty.ObjectVal(map[string]cty.Value{"module": cty.StringVal(m.def.dir), "root": cty.StringVal(m.l.opts.Root), "cwd": cty.StringVal(".")}),
		"terraform": cty.ObjectVal(map[string]cty.Value{"workspace": cty.StringVal("default")}),
	}
	for t, byName := range m.resVals {
		vars[t] = objectOf(byName)
	}
	data := map[string]cty.Value{}
	for t, byName := range m.dataVals {
		data[t] = objectOf(byName)
	}
	vars["data"] = objectOf(data)
	mods := map[string]cty.Value{}
	for name, cs := range m.calls {
		mods[name] = cs.value()
	}
	vars["module"] = objectOf(mods)
	return &hcl.EvalContext{Variables: vars, Functions: m.funcs}
}

func (cs *callState) value() cty.Value {
	outs := func(key string) cty.Value {
		if c := cs.insts[key]; c != nil {
			return objectOf(c.outputs)
		}
		return cty.DynamicVal
	}
	switch cs.mode {
	case "count":
		var l []cty.Value
		for _, k := range cs.keys {
			l = append(l, outs(k))
		}
		if len(l) == 0 {
			return cty.EmptyTupleVal
		}
		return cty.TupleVal(l)
	case "for_each":
		m := map[string]cty.Value{}
		for _, k := range cs.keys {
			var s string
			_ = json.Unmarshal([]byte(strings.TrimSuffix(strings.TrimPrefix(k, "["), "]")), &s)
			m[s] = outs(k)
		}
		return objectOf(m)
	}
	return outs("")
}

// instanceKeys expands count / for_each of a block. A nil slice with ok
// means a single instance without key; unknown expansion gives one
// instance whose count.index / each values are unknown.
type instanceKey struct {
	key   string
	index cty.Value // count.index
	each  [2]cty.Value
}

func expand(b *hclsyntax.Block, ctx *hcl.EvalContext) (mode string, keys []instanceKey) {
	if a := b.Body.Attributes["count"]; a != nil {
		v := eval(a.Expr, ctx)
		if !v.IsKnown() || v.IsNull() || v.Type() != cty.Number {
			return "count", []instanceKey{{key: "", index: cty.UnknownVal(cty.Number)}}
		}
		n, _ := v.AsBigFloat().Int64()
		if n > maxInstances {
			n = maxInstances
		}
		for i := int64(0); i < n; i++ {
			keys = append(keys, instanceKey{key: "[" + itoa(i) + "]", index: cty.NumberIntVal(i)})
		}
		return "count", keys
	}
	if a := b.Body.Attributes["for_each"]; a != nil {
		v := eval(a.Expr, ctx)
		// A map's keys are known even when its values are not; a set's
		// elements are its keys and must be known.
		keysKnown := v.IsKnown() && !v.IsNull() && v.CanIterateElements()
		if keysKnown && (v.Type().IsSetType() || v.Type().IsListType() || v.Type().IsTupleType()) {
			keysKnown = v.IsWhollyKnown()
		}
		if !keysKnown {
			return "for_each", []instanceKey{{key: "", each: [2]cty.Value{cty.UnknownVal(cty.String), cty.DynamicVal}}}
		}
		set := v.Type().IsSetType() || v.Type().IsListType() || v.Type().IsTupleType()
		for it := v.ElementIterator(); it.Next() && len(keys) < maxInstances; {
			k, e := it.Element()
			if set {
				k = e
			}
			if k.Type() != cty.String {
				continue
			}
			keys = append(keys, instanceKey{key: keyString(k), each: [2]cty.Value{k, e}})
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i].key < keys[j].key })
		return "for_each", keys
	}
	return "", []instanceKey{{}}
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

// pass evaluates one round of the module: locals until they settle, then
// resources, module calls and outputs. Rounds repeat from the root so
// values flow between resources, modules and outputs in any order.
func (m *inst) pass(depth int) (changed bool) {
	for i := 0; i <= len(m.def.locals); i++ {
		ctx := m.ctx()
		round := false
		for name, a := range m.def.locals {
			v := eval(a.Expr, ctx)
			if old, ok := m.locals[name]; !ok || !old.RawEquals(v) {
				round = true
			}
			m.locals[name] = v
		}
		if !round {
			break
		}
		changed = true
	}
	ctx := m.ctx()
	for _, b := range m.def.resources {
		mode, keys := expand(b, ctx)
		var vals []cty.Value
		byKey := map[string]cty.Value{}
		for _, k := range keys {
			v, _ := evalBody(b.Body, instCtx(ctx, mode, k), "", nil, resourceMeta)
			v = withComputed(b, v)
			vals = append(vals, v)
			var s string
			_ = json.Unmarshal([]byte(strings.TrimSuffix(strings.TrimPrefix(k.key, "["), "]")), &s)
			byKey[s] = v
		}
		var val cty.Value
		switch {
		case mode == "count" && len(keys) == 1 && keys[0].key == "":
			val = cty.DynamicVal
		case mode == "count":
			val = cty.EmptyTupleVal
			if len(vals) > 0 {
				val = cty.TupleVal(vals)
			}
		case mode == "for_each" && len(keys) == 1 && keys[0].key == "":
			val = cty.DynamicVal
		case mode == "for_each":
			val = objectOf(byKey)
		default:
			val = vals[0]
		}
		target := m.resVals
		if b.Type == "data" {
			target = m.dataVals
		}
		if target[b.Labels[0]] == nil {
			target[b.Labels[0]] = map[string]cty.Value{}
		}
		if old, ok := target[b.Labels[0]][b.Labels[1]]; !ok || !old.RawEquals(val) {
			changed = true
		}
		target[b.Labels[0]][b.Labels[1]] = val
	}
	ctx = m.ctx()
	for _, b := range m.def.calls {
		if m.call(b, ctx, depth) {
			changed = true
		}
	}
	ctx = m.ctx()
	for name, b := range m.def.outputs {
		if a := b.Body.Attributes["value"]; a != nil {
			v := eval(a.Expr, ctx)
			if old, ok := m.outputs[name]; !ok || !old.RawEquals(v) {
				changed = true
			}
			m.outputs[name] = v
		}
	}
	return changed
}

var resourceMeta = map[string]bool{"count": true, "for_each": true, "provider": true, "depends_on": true,
	"lifecycle": true, "provisioner": true, "connection": true}

var moduleMeta = map[string]bool{"source": true, "version": true, "providers": true, "count": true,
	"for_each": true, "depends_on": true}

func (m *inst) call(b *hclsyntax.Block, ctx *hcl.EvalContext, depth int) (changed bool) {
	name := b.Labels[0]
	l := m.l
	src := literalSource(b)
	key := name
	if m.jsonKey != "" {
		key = m.jsonKey + "." + name
	}
	var dir string
	switch {
	case isLocalSource(src):
		dir = filepath.Join(m.def.dir, src)
	case l.modulesJSON[key] != "":
		dir = l.modulesJSON[key]
	default:
		where := rangeOf(b.DefRange())
		if k := "unread|" + where.File + ":" + itoa(int64(where.Line)); !l.noticed[k] {
			l.noticed[k] = true
			reason := "not downloaded: run terraform init to have it under .terraform/modules"
			if src == "" {
				reason = "its source is not a literal string"
			}
			l.diags = append(l.diags, diag.Diagnostic{Severity: diag.Warning, File: where.File, Line: where.Line,
				Summary: "module " + name + " (" + src + ") is not read: " + reason,
				Detail:  "its resources are not checked, and what depends on its outputs is unknown",
				Unread:  &diag.Unread{Call: graph.StripInstanceKeys(m.prefix) + "module." + name, Source: src, Reason: reason}})
		}
		return false
	}
	if depth+1 > maxModuleDepth || m.includes(dir) {
		where := rangeOf(b.DefRange())
		if !l.noticed["cycle|"+where.File+itoa(int64(where.Line))] {
			l.noticed["cycle|"+where.File+itoa(int64(where.Line))] = true
			l.diags = append(l.diags, diag.Diagnostic{Severity: diag.Error, File: where.File, Line: where.Line,
				Summary: "module " + name + " includes itself", Detail: "module calls form a cycle through " + dir})
		}
		return false
	}
	def := l.parse(dir)
	cs := m.calls[name]
	if cs == nil {
		cs = &callState{block: b, insts: map[string]*inst{}}
		m.calls[name] = cs
	}
	mode, keys := expand(b, ctx)
	cs.mode = mode
	cs.keys = cs.keys[:0]
	for _, k := range keys {
		cs.keys = append(cs.keys, k.key)
		child := cs.insts[k.key]
		if child == nil {
			changed = true
			callName := "module." + name + k.key
			chain := append(append([]graph.ModuleCall(nil), m.chain...), graph.ModuleCall{Name: callName, Range: rangeOf(b.DefRange())})
			child = l.newInst(def, m, m.prefix+callName+".", chain, key)
			cs.insts[k.key] = child
		}
		cctx := instCtx(ctx, mode, k)
		child.callCtx = cctx
		for vname, vb := range def.vars {
			if a := b.Body.Attributes[vname]; a != nil && !moduleMeta[vname] {
				child.vars[vname] = eval(a.Expr, cctx)
				child.varExprs[vname] = a.Expr
			} else if d := vb.Body.Attributes["default"]; d != nil {
				child.vars[vname] = eval(d.Expr, nil)
			} else {
				child.vars[vname] = cty.DynamicVal
			}
		}
		if child.pass(depth + 1) {
			changed = true
		}
	}
	return changed
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

// attrExpr is an attribute expression met while building a resource, with
// the dotted path it sits at, for reference edges.
type attrExpr struct {
	path string
	expr hcl.Expression
}

// evalBody evaluates a block body into a cty object and, when gv is
// wanted (exprs != nil), a graph value with ranges. Nested blocks become
// lists of objects, as Terraform's plan renders them; dynamic blocks are
// expanded.
func evalBody(body *hclsyntax.Body, ctx *hcl.EvalContext, prefix string, exprs *[]attrExpr, skip map[string]bool) (cty.Value, *graph.Value) {
	obj := map[string]cty.Value{}
	gv := &graph.Value{Kind: graph.Map, Map: map[string]*graph.Value{}, Range: rangeOf(body.SrcRange)}
	join := func(n string) string {
		if prefix == "" {
			return n
		}
		return prefix + "." + n
	}
	for name, a := range body.Attributes {
		if skip[name] {
			continue
		}
		v := eval(a.Expr, ctx)
		obj[name] = v
		if exprs != nil {
			gv.Map[name] = fromCty(v, rangeOf(a.SrcRange), 0)
			setRanges(a.Expr, gv.Map[name], 0)
			gv.Map[name].Doc = encodedDoc(a.Expr, ctx)
			*exprs = append(*exprs, attrExpr{join(name), a.Expr})
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
			coll := eval(fe.Expr, ctx)
			if !coll.IsWhollyKnown() || coll.IsNull() || !coll.CanIterateElements() {
				unknownBlocks[typ] = b.DefRange()
				continue
			}
			for it := coll.ElementIterator(); it.Next(); {
				k, e := it.Element()
				c := ctx.NewChild()
				c.Variables = map[string]cty.Value{iter: cty.ObjectVal(map[string]cty.Value{"key": k, "value": e})}
				v, g := evalBody(content.Body, c, join(typ), exprs, nil)
				if g != nil {
					g.Range = rangeOf(b.DefRange())
				}
				add(typ, v, g, b.DefRange())
			}
			continue
		}
		v, g := evalBody(b.Body, ctx, join(b.Type), exprs, nil)
		if g != nil {
			g.Range = rangeOf(b.DefRange())
		}
		add(b.Type, v, g, b.DefRange())
	}
	for typ, l := range blocks {
		obj[typ] = cty.TupleVal(l)
		if exprs != nil {
			gv.Map[typ] = gblocks[typ]
		}
	}
	for typ, rng := range unknownBlocks {
		if _, ok := obj[typ]; !ok {
			obj[typ] = cty.DynamicVal
			if exprs != nil {
				gv.Map[typ] = &graph.Value{Kind: graph.Unknown, Range: rangeOf(rng)}
			}
		}
	}
	if exprs == nil {
		gv = nil
	}
	return objectOf(obj), gv
}

// build turns the evaluated modules into graph resources.
func (m *inst) build() {
	ctx := m.ctx()
	for _, b := range m.def.resources {
		mode, keys := expand(b, ctx)
		cfg := b.Labels[0] + "." + b.Labels[1]
		gmode := graph.Managed
		if b.Type == "data" {
			cfg, gmode = "data."+cfg, graph.Data
		}
		for _, k := range keys {
			var exprs []attrExpr
			v, gv := evalBody(b.Body, instCtx(ctx, mode, k), "", &exprs, resourceMeta)
			if isPolicyDoc(b) {
				rng := rangeOf(b.DefRange())
				gv.Map["json"] = fromCty(withComputed(b, v).GetAttr("json"), rng, 0)
			}
			rng := rangeOf(b.DefRange())
			rng.EndLine = b.Body.SrcRange.End.Line
			r := m.l.g.Add(&graph.Resource{Type: b.Labels[0], Mode: gmode, Name: b.Labels[1],
				Address: m.prefix + cfg + k.key, Module: m.chain, Attrs: gv, Range: rng, Origin: Origin,
				ConfigAddr: cfg, ModulePath: strings.TrimSuffix(m.prefix, ".")})
			ck := strings.TrimSuffix(m.prefix, ".") + "|" + cfg
			m.l.byCfg[ck] = append(m.l.byCfg[ck], r)
			m.l.keys[r] = k.key
			for _, e := range exprs {
				pr := pendingRef{from: r, in: m, attr: e.path, expr: e.expr}
				if fe := b.Body.Attributes["for_each"]; fe != nil && k.each[0].IsKnown() && k.each[0].Type() == cty.String {
					pr.each = &eachScope{forEach: fe.Expr, key: k.each[0].AsString()}
				}
				m.l.refs = append(m.l.refs, pr)
			}
		}
	}
	names := make([]string, 0, len(m.calls))
	for n := range m.calls {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		cs := m.calls[n]
		for _, k := range cs.keys {
			if c := cs.insts[k]; c != nil {
				c.build()
			}
		}
	}
}

func isPolicyDoc(b *hclsyntax.Block) bool {
	return b.Type == "data" && b.Labels[0] == "aws_iam_policy_document"
}

// withComputed adds the attributes eksguard can compute for a data source
// before apply: the json of an aws_iam_policy_document.
func withComputed(b *hclsyntax.Block, v cty.Value) cty.Value {
	if !isPolicyDoc(b) || !v.Type().IsObjectType() {
		return v
	}
	m := v.AsValueMap()
	if m == nil {
		m = map[string]cty.Value{}
	}
	m["json"] = renderPolicyDocument(v)
	return cty.ObjectVal(m)
}
