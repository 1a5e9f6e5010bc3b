// Package tfplan reads the JSON form of a Terraform plan (terraform show
// -json) into the resource graph: planned values, the after/after_unknown
// pair of each resource change (a value known only after apply becomes an
// unknown value, never a missing one), and references between resources
// from the plan's configuration section.
package tfplan

import (
	"sort"
	"strings"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/graph"
)

// Origin is the front-end name recorded on resources.
const Origin = "terraform-plan"

// Detect reports whether a parsed JSON document is a Terraform plan.
func Detect(root *graph.Value) bool {
	if root == nil || root.Kind != graph.Map {
		return false
	}
	if root.Map.Get("format_version") == nil {
		return false
	}
	return root.Map.Get("planned_values") != nil || root.Map.Get("resource_changes") != nil
}

type entry struct {
	addr   string
	p      parsedAddr
	typ    string
	name   string
	mode   graph.Mode
	values *graph.Value
	rng    graph.Range
	gone   bool
	res    *graph.Resource // once added to the graph
}

// cfgKey names a resource of the configuration: its module (module.a.module.b,
// no keys) and its address in that module.
type cfgKey struct{ mod, addr string }

// instKey names the instances of a configuration resource in one module
// instance: the module instance path (module.a[0].module.b) and the
// resource's address in its module, without its own key.
type instKey struct{ path, base string }

// instGroup is the instances of one configuration resource in one module
// instance, in graph order, with their own keys ([0], ["k"], "" for none).
type instGroup struct {
	res   []*graph.Resource
	index []string
	// at finds a key's position in large groups (a for_each over thousands
	// of elements); built on the first lookup by key.
	at map[string]int
}

// byIndexScan is the group size up to which a key is looked up by
// scanning rather than through a map.
const byIndexScan = 8

// withIndex returns the instance with that key, as a slice of the group's
// own (empty when there is none). An address is unique in a plan, so there
// is at most one.
func (g *instGroup) withIndex(idx string) []*graph.Resource {
	if len(g.res) <= byIndexScan {
		for i, x := range g.index {
			if x == idx {
				return g.res[i : i+1]
			}
		}
		return nil
	}
	if g.at == nil {
		g.at = make(map[string]int, len(g.index))
		for i, x := range g.index {
			if _, dup := g.at[x]; !dup {
				g.at[x] = i
			}
		}
	}
	if i, ok := g.at[idx]; ok {
		return g.res[i : i+1]
	}
	return nil
}

type loader struct {
	file   string
	order  []*entry
	byAddr map[string]*entry
	diags  diag.List
	// byCfg lists every instance of a configuration resource across all
	// module instances; byInst those of one module instance, which is what
	// a reference resolves to. Resolving through byCfg and filtering by
	// module instance made loading quadratic in the module instances.
	byCfg  map[cfgKey][]*entry
	byInst map[instKey]*instGroup
	// children maps a module instance path and a call (module.name) to
	// the instance paths of that call under it, in plan order; built when
	// a reference first needs every instance of a call ([*]).
	children map[instKey][]string
	g        *graph.Graph
	maxHops  int
	// callsOf is the call chain of each module instance, shared by its
	// resources (a plan of 230,000 resources held 13 MB of copies).
	callsOf map[string][]graph.ModuleCall
	// refParts is splitAddr of each reference resolve has met: a module's
	// references are resolved again for every instance of it.
	refParts map[string][]string
	// lastInst and lastPath are the module instance path resolve joined
	// last: an instance's references are resolved one after the other.
	lastInst []string
	lastPath string
}

// instPath is inst joined with dots. The instance paths resolve meets are
// never changed once made, so one with the same first element and length
// as the last is the same path.
func (l *loader) instPath(inst []string) string {
	if len(inst) == 0 {
		return ""
	}
	if len(inst) != len(l.lastInst) || &inst[0] != &l.lastInst[0] {
		l.lastInst, l.lastPath = inst, strings.Join(inst, ".")
	}
	return l.lastPath
}

// calls is the module call chain of the module instance at path.
func (l *loader) calls(path string, modules []string) []graph.ModuleCall {
	if len(modules) == 0 {
		return nil
	}
	if c, ok := l.callsOf[path]; ok {
		return c
	}
	c := make([]graph.ModuleCall, len(modules))
	for i, m := range modules {
		c[i].Name = m
	}
	if l.callsOf == nil {
		l.callsOf = map[string][]graph.ModuleCall{}
	}
	l.callsOf[path] = c
	return c
}

// Load adds the plan's resources and their reference edges to g.
func Load(g *graph.Graph, root *graph.Value, file string) diag.List {
	return loadPlan(g, docOf(root), file, true)
}

// LoadResources is Load without the reference edges, for a scan that only
// raw-document policies read: they see the resources (which place their
// findings) and the document masked and merged as Load leaves it, never
// the edges, whose resolution is most of Load's cost.
func LoadResources(g *graph.Graph, root *graph.Value, file string) diag.List {
	return loadPlan(g, docOf(root), file, false)
}

func docOf(root *graph.Value) *planDoc {
	d := &planDoc{root: root}
	d.planned = walkModule(root.Get("planned_values", "root_module"), 0, nil)
	// Data sources read while planning live only in prior_state.
	d.prior = walkModule(root.Get("prior_state", "values", "root_module"), 0, nil)
	for _, rc := range root.Get("resource_changes").Items() {
		d.changes = append(d.changes, changeOf(rc))
	}
	return d
}

// planDoc is what Load reads of a plan: the resources of planned_values
// and of prior_state and the resource changes, in document order, and the
// document for the rest (format_version, variables, configuration).
// Decode builds it without the document's other parts.
type planDoc struct {
	root    *graph.Value
	planned []*resourceRec
	prior   []*resourceRec
	changes []*changeRec
}

// resourceRec is what Load reads of one resource of planned_values or
// prior_state.
type resourceRec struct {
	addr, mode, typ, name string
	rng                   graph.Range // without File
	values, sensitive     *graph.Value
	// parts are values and sensitive_values as Decode skipped them,
	// decoded once it knows they are read.
	parts []deferredPart
}

// changeRec is what Load reads of one resource change.
type changeRec struct {
	resourceRec
	deleteOnly                                                   bool
	before, beforeSensitive, after, afterSensitive, afterUnknown *graph.Value
	// prepared: after is already masked and merged with afterUnknown,
	// which is kept only when after is null (Decode does that at once, so
	// the change's other parts need not be kept).
	prepared bool
	// ownUnknown: afterUnknown was decoded for this change alone and is
	// in no document a policy reads, so its leaves may become the
	// unknowns themselves (a quarter of a plan's values; see
	// mergeUnknown).
	ownUnknown bool
}

// walkModule lists the resources of a module and of its child modules,
// depth first.
func walkModule(m *graph.Value, depth int, out []*resourceRec) []*resourceRec {
	if depth > maxModuleDepth || m == nil || m.Kind != graph.Map {
		return out
	}
	for _, r := range m.Get("resources").Items() {
		out = append(out, resourceOf(r))
	}
	for _, c := range m.Get("child_modules").Items() {
		out = walkModule(c, depth+1, out)
	}
	return out
}

const maxModuleDepth = 64

func resourceOf(r *graph.Value) *resourceRec {
	return &resourceRec{addr: str(r.Get("address")), mode: str(r.Get("mode")), typ: str(r.Get("type")), name: str(r.Get("name")),
		rng: rangeOf(r), values: r.Get("values"), sensitive: r.Get("sensitive_values")}
}

func changeOf(rc *graph.Value) *changeRec {
	c := &changeRec{resourceRec: resourceRec{addr: str(rc.Get("address")), mode: str(rc.Get("mode")), typ: str(rc.Get("type")),
		name: str(rc.Get("name")), rng: rangeOf(rc)}}
	actions := rc.Get("change", "actions").Items()
	c.deleteOnly = len(actions) == 1 && str(actions[0]) == "delete"
	c.before, c.beforeSensitive = rc.Get("change", "before"), rc.Get("change", "before_sensitive")
	c.after, c.afterSensitive, c.afterUnknown = rc.Get("change", "after"), rc.Get("change", "after_sensitive"), rc.Get("change", "after_unknown")
	return c
}

func loadPlan(g *graph.Graph, d *planDoc, file string, edges bool) diag.List {
	root := d.root
	// The indexes by address and by module instance hold about one entry
	// a resource: sized once, a plan of 50,000 resources does not rehash
	// them at each doubling. Planned values and changes list mostly the
	// same resources. (Configuration addresses are few.)
	n := max(len(d.planned)+len(d.prior), len(d.changes))
	l := &loader{file: file, byAddr: make(map[string]*entry, n), byCfg: map[cfgKey][]*entry{},
		byInst: make(map[instKey]*instGroup, n), g: g, maxHops: 64}
	if fv := root.Map.Get("format_version"); fv != nil && fv.Kind == graph.String {
		if major := strings.SplitN(fv.Str, ".", 2)[0]; major != "0" && major != "1" {
			l.diags = append(l.diags, diag.Diagnostic{Severity: diag.Warning, File: file, Line: int(fv.Range.Line),
				Summary: "unsupported plan format_version " + fv.Str, Detail: "reading it as format 1.x"})
		}
	}
	for _, r := range d.planned {
		l.resource(r, false)
	}
	for _, r := range d.prior {
		l.resource(r, true)
	}
	for _, c := range d.changes {
		l.change(c)
	}

	g.Reserve(len(l.order))
	for _, e := range l.order {
		if e.gone {
			continue
		}
		// Shared by the resources of one module instance, which come
		// one after the other.
		path := l.instPath(e.p.modules)
		r := &graph.Resource{
			Type:       e.typ,
			Mode:       e.mode,
			Name:       e.name,
			Address:    e.addr,
			Attrs:      e.values,
			Range:      e.rng,
			Origin:     Origin,
			ConfigAddr: e.p.configAddr,
			ModulePath: path,
			RootModule: true,
		}
		r.Module = l.calls(path, e.p.modules)
		if r.Attrs == nil || r.Attrs.Kind != graph.Map {
			r.Attrs = graph.NewMap(nil)
		}
		g.Add(r)
		e.res = r
		if !edges {
			// The indexes serve reference resolution only.
			continue
		}
		ck := cfgKey{e.p.configMod, e.p.configAddr}
		l.byCfg[ck] = append(l.byCfg[ck], e)
		ik := instKey{path, e.p.configAddr}
		grp := l.byInst[ik]
		if grp == nil {
			grp = &instGroup{}
			l.byInst[ik] = grp
		}
		grp.res = append(grp.res, r)
		grp.index = append(grp.index, e.p.index)
	}

	markSensitiveVariables(root)
	var cfgRoot *cfgModule
	// Without the configuration's modules, providers are added unlinked.
	if cfg := root.Get("configuration", "root_module"); edges && cfg != nil && cfg.Kind == graph.Map {
		cfgRoot = newCfgModule(cfg, nil, "", nil)
		l.references(cfgRoot)
	}
	l.providers(root, cfgRoot)
	return l.diags
}

// providers adds the plan's provider configurations
// (configuration.provider_config) as resources of mode provider, addressed
// as the HCL front-end addresses them. The plan records an argument's value
// only when it is a literal (constant_value), or, in the root module, a
// root variable's (the plan's variables); the rest is unknown, with edges
// to what it references.
func (l *loader) providers(root *graph.Value, cfgRoot *cfgModule) {
	pcs := root.Get("configuration", "provider_config")
	if pcs == nil || pcs.Kind != graph.Map {
		return
	}
	for _, k := range pcs.Keys() {
		pc := pcs.Map.Get(k)
		if pc == nil || pc.Kind != graph.Map {
			continue
		}
		name, alias, mod := str(pc.Get("name")), str(pc.Get("alias")), str(pc.Get("module_address"))
		if name == "" {
			// The key is [module_address:]name[.alias].
			_, rest, found := strings.Cut(k, ":")
			if !found {
				rest = k
			}
			name, _, _ = strings.Cut(rest, ".")
		}
		key, rname := "provider."+name, name
		if alias != "" {
			key, rname = key+"."+alias, alias
		}
		addr := key
		if mod != "" {
			addr = mod + "." + key
		}
		p := parseAddr(addr)
		var vars *graph.Value
		if mod == "" {
			vars = root.Get("variables")
		}
		attrs := providerValue(pc.Get("expressions"), vars, 0)
		if attrs == nil || attrs.Kind != graph.Map {
			attrs = graph.NewMap(nil)
		}
		rng := pc.Range
		rng.File = l.file
		path := p.modulePath()
		r := &graph.Resource{Type: name, Mode: graph.Provider, Name: rname, Address: addr, Attrs: attrs, Range: rng,
			Origin: Origin, ConfigAddr: key, ModulePath: path, RootModule: true, Module: l.calls(path, p.modules)}
		l.g.Add(r)
		cm := cfgRoot
		for _, seg := range p.modules {
			if cm == nil {
				break
			}
			n, _ := cutIndex(strings.TrimPrefix(seg, "module."))
			cm = cm.calls[n]
		}
		if cm == nil {
			continue
		}
		for _, grp := range exprGroups(pc.Get("expressions"), "", nil, 0) {
			for _, ref := range grp.refs {
				for _, t := range l.resolve(cm, p.modules, ref, 0, "") {
					l.g.Link(r, t, grp.attr)
				}
			}
		}
	}
}

// providerValue turns a provider block's expressions into its value: a
// literal's constant_value, a lone root variable's value from the plan,
// unknown otherwise; nested blocks keep their shape.
func providerValue(e, vars *graph.Value, depth int) *graph.Value {
	if e == nil || depth > 32 {
		return nil
	}
	switch e.Kind {
	case graph.List:
		out := &graph.Value{Kind: graph.List, Range: e.Range}
		for _, x := range e.List {
			if v := providerValue(x, vars, depth+1); v != nil {
				out.List = append(out.List, v)
			}
		}
		return out
	case graph.Map:
		if cv, ok := e.Map.Lookup("constant_value"); ok {
			return cv
		}
		if refs, ok := e.Map.Lookup("references"); ok {
			var list []string
			for _, r := range refs.Items() {
				if s := str(r); s != "" {
					list = append(list, s)
				}
			}
			list = mostSpecific(list)
			if len(list) == 1 && vars != nil {
				if name, ok := strings.CutPrefix(list[0], "var."); ok && !strings.ContainsAny(name, ".[") {
					if v := vars.Get(name, "value"); v != nil {
						return v
					}
				}
			}
			u := graph.NewUnknown()
			u.Range = e.Range
			why := "the plan does not record the value of a provider argument that is not a literal"
			if len(list) > 0 {
				why += " (it reads " + list[0] + ")"
			}
			u.SetWhy(&graph.Unknowable{Reason: why})
			return u
		}
		out := &graph.Value{Kind: graph.Map, Map: graph.NewFields(e.Map.Len()), Range: e.Range}
		for k, x := range e.Map.All() {
			if v := providerValue(x, vars, depth+1); v != nil {
				out.Map.Set(k, v)
			}
		}
		return out
	}
	return nil
}

func (l *loader) resource(r *resourceRec, dataOnly bool) {
	if r.addr == "" {
		return
	}
	if dataOnly && graph.Mode(r.mode) != graph.Data {
		return
	}
	if _, ok := l.byAddr[r.addr]; ok {
		return
	}
	e := l.newEntry(r)
	e.values = r.values
	markSensitive(e.values, r.sensitive, 0)
	e.rng = l.inFile(r.rng)
}

func (l *loader) newEntry(r *resourceRec) *entry {
	mode := graph.Mode(r.mode)
	if mode == "" {
		mode = graph.Managed
	}
	e := &entry{addr: r.addr, p: parseAddr(r.addr), typ: r.typ, name: r.name, mode: mode}
	if e.typ == "" || e.name == "" {
		parts := strings.Split(e.p.configAddr, ".")
		if len(parts) >= 2 {
			e.typ, e.name = parts[len(parts)-2], parts[len(parts)-1]
		}
	}
	l.byAddr[r.addr] = e
	l.order = append(l.order, e)
	return e
}

func (l *loader) change(c *changeRec) {
	if c.addr == "" {
		return
	}
	e, ok := l.byAddr[c.addr]
	if !ok {
		e = l.newEntry(&c.resourceRec)
	}
	if c.deleteOnly {
		// A resource the plan destroys is not part of what will run.
		e.gone = true
		return
	}
	if !c.prepared {
		c.prepare()
	}
	after := c.after
	if after == nil || after.Kind == graph.Null {
		if e.values != nil {
			return
		}
		after = mergeUnknown(graph.NewMap(nil), c.afterUnknown, graph.Range{}, c.ownUnknown)
	}
	e.values = after
	e.rng = l.inFile(c.rng)
}

// prepare masks the change's sensitive values and merges after with
// after_unknown. Decode does it as it reads each change, Load when it
// meets it; either way before the entry takes the values.
func (c *changeRec) prepare() {
	c.prepared = true
	if c.addr == "" || c.deleteOnly {
		return
	}
	// Sensitive values are null in a plan Terraform renders with -json
	// unless the plan was made with them shown; either way they are masked.
	markSensitive(c.before, c.beforeSensitive, 0)
	markSensitive(c.after, c.afterSensitive, 0)
	if c.after != nil && c.after.Kind != graph.Null {
		c.after = mergeUnknown(c.after, c.afterUnknown, c.after.Range, c.ownUnknown)
		c.afterUnknown = nil
	}
}

// rangeOf locates a resource entry at its "address" line, which names the
// resource for a reader, and spans to the entry's closing brace.
func rangeOf(v *graph.Value) graph.Range {
	r := v.Range
	if a := v.Get("address"); a != nil && a.Range.Line > 0 {
		r.Line, r.Column = a.Range.Line, a.Range.Column
	}
	return r
}

func (l *loader) inFile(r graph.Range) graph.Range {
	r.File = l.file
	return r
}

// mergeUnknown marks in after every value that after_unknown flags as known
// only after apply.
//
// A value that after omits is placed at its parent's position: the line a
// reader finds in the after block, not in after_unknown.
//
// With reuse, unk is the change's own, read by nothing else: a true in it
// becomes the unknown value in place instead of a new one.
func mergeUnknown(after, unk *graph.Value, parent graph.Range, reuse bool) *graph.Value {
	if unk == nil {
		return after
	}
	if unk.Kind == graph.Bool {
		if unk.Bool {
			u := unk
			if reuse {
				*u = graph.Value{Kind: graph.Unknown}
			} else {
				u = graph.NewUnknown()
			}
			if after != nil {
				u.Range = after.Range
			} else {
				u.Range = parent
			}
			return u
		}
		return after
	}
	if after == nil || after.Kind == graph.Null {
		// A structure of unknowns under a null: build it from after_unknown.
		if unk.Kind == graph.Map {
			after = &graph.Value{Kind: graph.Map, Map: graph.NewFields(0), Range: parent}
		} else if unk.Kind == graph.List {
			after = &graph.Value{Kind: graph.List, Range: parent}
		} else {
			return after
		}
	}
	switch {
	case unk.Kind == graph.Map && after.Kind == graph.Map:
		added := 0
		for k, u := range unk.Map.All() {
			if !after.Map.Has(k) && (u.Kind != graph.Bool || u.Bool) {
				added++
			}
		}
		after.Map.Grow(added)
		for k, u := range unk.Map.All() {
			if merged := mergeUnknown(after.Map.Get(k), u, after.Range, reuse); merged != nil {
				after.Map.Set(k, merged)
			}
		}
	case unk.Kind == graph.List && after.Kind == graph.List:
		for i, u := range unk.List {
			if i < len(after.List) {
				after.List[i] = mergeUnknown(after.List[i], u, after.Range, reuse)
			} else if m := mergeUnknown(nil, u, after.Range, reuse); m != nil {
				after.List = append(after.List, m)
			}
		}
	}
	return after
}

// markSensitive marks in v what a plan's *_sensitive tree flags: true
// where the value is sensitive, a structure of the value's shape where
// only parts of it are.
func markSensitive(v, sens *graph.Value, depth int) {
	if v == nil || sens == nil || depth > 64 {
		return
	}
	switch sens.Kind {
	case graph.Bool:
		if sens.Bool {
			v.MarkSecret()
		}
	case graph.Map:
		if v.Kind == graph.Map {
			for k, s := range sens.Map.All() {
				markSensitive(v.Map.Get(k), s, depth+1)
			}
		}
	case graph.List:
		if v.Kind == graph.List {
			for i, s := range sens.List {
				if i < len(v.List) {
					markSensitive(v.List[i], s, depth+1)
				}
			}
		}
	}
}

// markSensitiveVariables masks the plan's values of root variables
// declared sensitive, and of sensitive outputs, which the plan document
// (read by policies) holds beside the resources.
func markSensitiveVariables(root *graph.Value) {
	decl := root.Get("configuration", "root_module", "variables")
	for name, v := range mapOf(root.Get("variables")).All() {
		if d := decl.Get(name, "sensitive"); d != nil && d.Kind == graph.Bool && d.Bool {
			v.Get("value").MarkSecret()
			decl.Get(name, "default").MarkSecret()
		}
	}
	for _, o := range mapOf(root.Get("planned_values", "outputs")).All() {
		if s := o.Get("sensitive"); s != nil && s.Kind == graph.Bool && s.Bool {
			o.Get("value").MarkSecret()
		}
	}
	for _, o := range mapOf(root.Get("output_changes")).All() {
		markSensitive(o.Get("before"), o.Get("before_sensitive"), 0)
		markSensitive(o.Get("after"), o.Get("after_sensitive"), 0)
	}
}

func mapOf(v *graph.Value) *graph.Fields {
	if v == nil {
		return nil
	}
	return v.Map
}

func str(v *graph.Value) string {
	if v == nil || v.Kind != graph.String {
		return ""
	}
	return v.Str
}

// cfgModule is one module of the plan's configuration section.
type cfgModule struct {
	key       string // module.a.module.b
	callName  string
	parent    *cfgModule
	callExprs *graph.Value // the module block's argument expressions, in the parent
	body      *graph.Value
	calls     map[string]*cfgModule
}

func newCfgModule(body *graph.Value, parent *cfgModule, name string, exprs *graph.Value) *cfgModule {
	m := &cfgModule{body: body, parent: parent, callName: name, callExprs: exprs, calls: map[string]*cfgModule{}}
	if parent != nil {
		m.key = "module." + name
		if parent.key != "" {
			m.key = parent.key + "." + m.key
		}
	}
	if mc := body.Get("module_calls"); mc != nil && mc.Kind == graph.Map {
		for _, n := range mc.Keys() {
			call := mc.Map.Get(n)
			if child := call.Get("module"); child != nil && child.Kind == graph.Map {
				m.calls[n] = newCfgModule(child, m, n, call.Get("expressions"))
			}
		}
	}
	return m
}

type attrRef struct {
	attr string
	ref  string
}

// exprRefs lists the references made by each attribute of an expressions
// object, one by one, with the dotted attribute path they sit under.
func exprRefs(exprs *graph.Value) []attrRef {
	var out []attrRef
	for _, grp := range exprGroups(exprs, "", nil, 0) {
		for _, r := range grp.refs {
			out = append(out, attrRef{grp.attr, r})
		}
	}
	return out
}

// refGroup is the references of one expression, with the attribute path it
// sits under.
type refGroup struct {
	attr string
	refs []string
}

// exprGroups lists the references of each expression of a resource. Kept
// together, they tell when an expression is per instance: Terraform lists
// count.index or each.key beside aws_s3_bucket.x for
// aws_s3_bucket.x[count.index], whose index it drops.
func exprGroups(exprs *graph.Value, prefix string, out []refGroup, depth int) []refGroup {
	if exprs == nil || depth > 32 {
		return out
	}
	switch exprs.Kind {
	case graph.Map:
		if refs, ok := exprs.Map.Lookup("references"); ok {
			var list []string
			for _, r := range refs.Items() {
				if s := str(r); s != "" {
					list = append(list, s)
				}
			}
			return append(out, refGroup{prefix, mostSpecific(list)})
		}
		if _, ok := exprs.Map.Lookup("constant_value"); ok {
			return out
		}
		for _, k := range exprs.Keys() {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			out = exprGroups(exprs.Map.Get(k), p, out, depth+1)
		}
	case graph.List:
		for _, e := range exprs.List {
			out = exprGroups(e, prefix, out, depth+1)
		}
	}
	return out
}

// mostSpecific drops references that only restate a longer one in the same
// list. Terraform lists every prefix of a traversal ("module.vpc.private_subnets"
// and "module.vpc"); following the bare prefix would link to every output of
// the module, and "aws_vpc.this" beside "aws_vpc.this[0]" to every instance.
func mostSpecific(refs []string) []string {
	if len(refs) < 2 {
		return refs
	}
	out := refs[:0:0]
	for i, r := range refs {
		covered := false
		for j, o := range refs {
			if i != j && len(o) > len(r) && strings.HasPrefix(o, r) && (o[len(r)] == '.' || o[len(r)] == '[') {
				covered = true
				break
			}
		}
		if !covered {
			out = append(out, r)
		}
	}
	return out
}

func (l *loader) references(m *cfgModule) {
	for _, rc := range m.body.Get("resources").Items() {
		addr := str(rc.Get("address"))
		instances := l.byCfg[cfgKey{m.key, addr}]
		if len(instances) == 0 {
			continue
		}
		groups := exprGroups(rc.Get("expressions"), "", nil, 0)
		var collection []string
		for _, ar := range exprRefs(rc.Get("for_each_expression")) {
			collection = append(collection, ar.ref)
		}
		for _, e := range instances {
			for _, grp := range groups {
				keyed := false
				for _, ref := range grp.refs {
					if ref == "count.index" || strings.HasPrefix(ref, "each.key") || strings.HasPrefix(ref, "each.value") {
						keyed = true
					}
				}
				// A per-instance expression refers to the target instance
				// with the referring instance's own key, when there is one;
				// to all of them when none has it.
				var targets []*graph.Resource
				if keyed && e.p.index != "" {
					targets = l.groupTargets(m, e.p.modules, grp.refs, collection, e.p.index)
				}
				if len(targets) == 0 {
					targets = l.groupTargets(m, e.p.modules, grp.refs, collection, "")
				}
				for _, t := range targets {
					l.g.Link(e.res, t, grp.attr)
				}
			}
		}
	}
	for _, n := range sortedKeys(m.calls) {
		l.references(m.calls[n])
	}
}

// groupTargets resolves the references of one expression of a resource
// instance at module instance path inst, keeping only targets with the key
// want when want is not "".
func (l *loader) groupTargets(m *cfgModule, inst []string, refs, collection []string, want string) []*graph.Resource {
	var targets []*graph.Resource
	for _, ref := range refs {
		switch {
		case strings.HasPrefix(ref, "each.value"):
			// each.value is the instance's element of the for_each
			// collection: the resources that collection names.
			for _, c := range collection {
				targets = append(targets, l.resolve(m, inst, c, 0, want)...)
			}
		case ref == "count.index" || strings.HasPrefix(ref, "each.key"):
		default:
			targets = append(targets, l.resolve(m, inst, ref, 0, want)...)
		}
	}
	return targets
}

func sortedKeys(m map[string]*cfgModule) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// resolve finds the resource instances a reference in module m (at module
// instance path inst) points to, following input variables up to the
// calling module and module outputs down into the called one; with want
// not "", only those whose own key is want. The slice returned may be the
// index's own: callers append from it and never change it.
func (l *loader) resolve(m *cfgModule, inst []string, ref string, hops int, want string) []*graph.Resource {
	if hops > l.maxHops || m == nil {
		return nil
	}
	parts, ok := l.refParts[ref]
	if !ok {
		parts = splitAddr(ref)
		if l.refParts == nil {
			l.refParts = map[string][]string{}
		}
		l.refParts[ref] = parts
	}
	if len(parts) < 2 {
		return nil
	}
	switch parts[0] {
	case "var":
		if m.parent == nil || m.callExprs == nil || len(inst) == 0 {
			return nil
		}
		var out []*graph.Resource
		name, _ := cutIndex(parts[1])
		for _, ar := range exprRefs(m.callExprs.Get(name)) {
			out = append(out, l.resolve(m.parent, inst[:len(inst)-1], ar.ref, hops+1, want)...)
		}
		return out
	case "module":
		name, idx := cutIndex(parts[1])
		child := m.calls[name]
		if child == nil {
			return nil
		}
		seg := "module." + name + "[*]"
		if idx != "" {
			seg = "module." + name + idx
		}
		childInst := append(append([]string(nil), inst...), seg)
		outputs := child.body.Get("outputs")
		var names []string
		if len(parts) >= 3 {
			names = []string{parts[2]}
		} else {
			names = outputs.Keys()
		}
		var out []*graph.Resource
		for _, o := range names {
			for _, ar := range exprRefs(outputs.Get(o, "expression")) {
				out = append(out, l.resolve(child, childInst, ar.ref, hops+1, want)...)
			}
		}
		return out
	case "local", "each", "count", "path", "terraform", "self":
		return nil
	}
	// The parts are ref's, split at its dots: the address is its start.
	cfgAddr := ref[:len(parts[0])+1+len(parts[1])]
	if parts[0] == "data" {
		if len(parts) < 3 {
			return nil
		}
		cfgAddr = ref[:len(cfgAddr)+1+len(parts[2])]
	}
	base, idx := splitLastIndex(cfgAddr)
	if idx != "" && want != "" && idx != want {
		return nil
	}
	if idx == "" {
		idx = want
	}
	if !hasWildcard(inst) {
		return l.inGroup(instKey{l.instPath(inst), base}, idx)
	}
	// Instances of several module instances: in graph order, as one
	// group's are.
	var out []*graph.Resource
	for _, path := range l.expand(inst) {
		out = append(out, l.inGroup(instKey{path, base}, idx)...)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// inGroup returns the instances of one group, only the one with key idx
// when idx is not "".
func (l *loader) inGroup(k instKey, idx string) []*graph.Resource {
	grp := l.byInst[k]
	if grp == nil {
		return nil
	}
	if idx == "" {
		return grp.res
	}
	return grp.withIndex(idx)
}

func hasWildcard(inst []string) bool {
	for _, s := range inst {
		if strings.HasSuffix(s, "[*]") {
			return true
		}
	}
	return false
}

// expand lists the module instance paths a pattern with [*] segments
// matches, following the instances the plan has of each call. Modules
// whose instance keys are unknown at plan time cannot be told apart; the
// [*] wildcard then stands for every instance.
func (l *loader) expand(pattern []string) []string {
	if l.children == nil {
		l.buildChildren()
	}
	paths := []string{""}
	for _, seg := range pattern {
		var next []string
		if call, ok := strings.CutSuffix(seg, "[*]"); ok {
			for _, p := range paths {
				next = append(next, l.children[instKey{p, call}]...)
			}
		} else {
			for _, p := range paths {
				next = append(next, joinPath(p, seg))
			}
		}
		paths = next
	}
	return paths
}

// buildChildren records, for every module instance path holding
// resources, each instance on the way to it under its parent and call.
func (l *loader) buildChildren() {
	l.children = map[instKey][]string{}
	seen := map[string]bool{}
	for _, e := range l.order {
		if e.res == nil || e.res.ModulePath == "" || seen[e.res.ModulePath] {
			continue
		}
		parent := ""
		for _, seg := range e.p.modules {
			path := joinPath(parent, seg)
			if !seen[path] {
				seen[path] = true
				call, _ := cutIndex(seg)
				k := instKey{parent, call}
				l.children[k] = append(l.children[k], path)
			}
			parent = path
		}
	}
}

func joinPath(parent, seg string) string {
	if parent == "" {
		return seg
	}
	return parent + "." + seg
}

func splitLastIndex(cfgAddr string) (string, string) {
	dot := strings.LastIndexByte(cfgAddr, '.')
	name, idx := cutIndex(cfgAddr[dot+1:])
	return cfgAddr[:dot+1] + name, idx
}
