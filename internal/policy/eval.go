package policy

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/topdown/print"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/rule"
	"github.com/eksguard/eksguard/internal/workpool"
)

// Document is one parsed input document, what a raw policy reads.
type Document struct {
	File string
	// Kind is the front-end kind of the file (kubernetes, terraform, ...).
	Kind string
	// Index is the document's place in a multi-document file.
	Index int
	Value *graph.Value
}

// Env is what policies are evaluated against.
type Env struct {
	Graph     *graph.Graph
	Documents []Document
	// Print receives print() output, prefixed with the call's file:line.
	Print io.Writer
}

// Excepted is a result a conftest exception rule waived; it is reported
// as suppressed, with the exception as the reason.
type Excepted struct {
	Result rule.Result
	// At is the exception rule.
	At graph.Range
}

// Output is what evaluating the set produced.
type Output struct {
	Results  []rule.Result
	Excepted []Excepted
	Diags    diag.List
}

type task struct {
	p     *Policy
	res   *graph.Resource // Resource shape
	doc   *Document       // Raw shape
	value *graph.Value    // Raw shape: the document or one element of it
	input ast.Value
}

type outcome struct {
	values   []any
	excepted bool
	err      error
	retry    bool
	// timedOut: err is the time bound; skipped: not evaluated, its
	// policy having been stopped (budget).
	timedOut bool
	skipped  bool
}

type prepared struct {
	query     rego.PreparedEvalQuery
	exception *rego.PreparedEvalQuery
}

// Evaluate runs every policy on its inputs. It never fails as a whole: a
// policy that errs or exceeds a bound is reported with its position and
// the others still run.
func (s *Set) Evaluate(ctx context.Context, env Env) Output {
	var out Output
	if len(s.Policies) == 0 {
		return out
	}
	limits := s.opts.Limits.withDefaults()
	pw := env.Print
	if pw == nil {
		pw = io.Discard
	}
	hook := &printer{w: pw}
	store := inmem.New()
	prep := map[*Policy]*prepared{}
	var policies []*Policy
	for _, p := range s.Policies {
		pp, err := s.prepare(ctx, p, store, hook)
		if err != nil {
			out.Diags = append(out.Diags, diag.Diagnostic{Severity: diag.Error, File: p.At.File, Line: int(p.At.Line), Column: int(p.At.Column),
				Summary: "policy cannot be prepared", Detail: err.Error()})
			continue
		}
		prep[p] = pp
		policies = append(policies, p)
	}

	tasks := s.tasks(policies, env)
	outcomes := make([]outcome, len(tasks))

	budgets := make(map[*Policy]*budget, len(policies))
	for _, p := range policies {
		budgets[p] = newBudget(limits.Budget)
	}
	wd := newWatchdog(limits.Memory)
	run := func(i int) {
		t := tasks[i]
		b := budgets[t.p]
		pctx, cancel := context.WithCancelCause(ctx)
		defer cancel(nil)
		if !b.start(i, cancel) {
			outcomes[i] = outcome{skipped: true}
			return
		}
		o := evalOne(pctx, prep[t.p], t.input, limits, wd)
		b.finish(i, o.timedOut)
		outcomes[i] = o
	}
	workpool.Each(len(tasks), run)
	// Evaluations cancelled together for memory are run again alone, so
	// only the one that exceeds the bound by itself is blamed.
	for i := range outcomes {
		if outcomes[i].retry {
			run(i)
			if outcomes[i].retry {
				outcomes[i] = outcome{err: fmt.Errorf("%w: the heap grew by more than %d MiB", errMemoryBound, limits.Memory>>20)}
			}
		}
	}
	wd.stop()

	// Where each policy stopped, recomputed in task order from the
	// outcomes: evaluations past that point may have run before the stop
	// was known, and what they found is dropped so that the report does
	// not depend on which ones did.
	stopAt := map[*Policy]int{}
	timeouts := map[*Policy][]string{}
	for i, t := range tasks {
		if _, ok := stopAt[t.p]; !ok && outcomes[i].timedOut {
			if timeouts[t.p] = append(timeouts[t.p], t.describe()); len(timeouts[t.p]) == limits.Budget {
				stopAt[t.p] = i
			}
		}
	}
	skipped := map[*Policy]int{}
	loc := newLocator(env.Graph)
	failed := map[*Policy]int{}
	for i, t := range tasks {
		o := outcomes[i]
		if s, ok := stopAt[t.p]; o.skipped || ok && i > s {
			skipped[t.p]++
			continue
		}
		if _, ok := stopAt[t.p]; ok && o.timedOut {
			// Said once, by the stop, with the inputs named.
			continue
		}
		if o.err != nil {
			// A policy broken for every input would say so once per
			// resource; the first few name where, the rest are counted.
			if failed[t.p]++; failed[t.p] <= maxErrorsPerPolicy {
				out.Diags = append(out.Diags, diag.Diagnostic{Severity: diag.Error, File: t.p.At.File, Line: int(t.p.At.Line), Column: int(t.p.At.Column),
					Summary: fmt.Sprintf("policy %s failed on %s", t.p.Rule.ID, t.describe()), Detail: o.err.Error()})
			}
			continue
		}
		hits := 0
		first := len(out.Results)
		for _, v := range o.values {
			r := s.result(t, v, loc)
			if o.excepted {
				out.Excepted = append(out.Excepted, Excepted{Result: r, At: t.p.exceptionAt})
				continue
			}
			out.Results = append(out.Results, r)
			hits++
		}
		keyDuplicates(out.Results[first:])
		if hits == 0 && !o.excepted && t.p.Shape != Graph {
			res, at := t.subject(loc)
			out.Results = append(out.Results, rule.Result{Rule: t.p.Rule, Status: rule.StatusPass, Resource: res, Range: at})
		}
	}
	for _, p := range policies {
		if _, ok := stopAt[p]; ok {
			out.Diags = append(out.Diags, diag.Diagnostic{Severity: diag.Error, File: p.At.File, Line: int(p.At.Line), Column: int(p.At.Column),
				Summary: fmt.Sprintf("policy %s stopped after %d evaluations exceeded the time bound of %s; %d %s skipped",
					p.Rule.ID, limits.Budget, limits.Timeout, skipped[p], plural(skipped[p], "evaluation", "evaluations")),
				Detail: fmt.Sprintf("timed out on %s; raise --policy-timeout if the policy needs longer on one input, or --policy-budget (now %d) to let more of its evaluations time out before it is stopped",
					strings.Join(timeouts[p], ", "), limits.Budget)})
		}
		if n := failed[p]; n > maxErrorsPerPolicy {
			out.Diags = append(out.Diags, diag.Diagnostic{Severity: diag.Error, File: p.At.File, Line: int(p.At.Line), Column: int(p.At.Column),
				Summary: fmt.Sprintf("policy %s failed on %d more inputs", p.Rule.ID, n-maxErrorsPerPolicy)})
		}
	}
	return out
}

const maxErrorsPerPolicy = 3

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// keyDuplicates gives results of one evaluation that land on the same
// resource and attribute their message as key, so their fingerprints (for
// baselines and suppressions) differ; a lone result keeps the plain one,
// which survives rewording the message.
func keyDuplicates(rs []rule.Result) {
	if len(rs) < 2 {
		return
	}
	seen := map[string]int{}
	for _, r := range rs {
		seen[r.Resource.Address+"\x00"+r.Path]++
	}
	for i := range rs {
		if seen[rs[i].Resource.Address+"\x00"+rs[i].Path] > 1 {
			rs[i].Key = rs[i].Message
		}
	}
}

func (t *task) describe() string {
	switch {
	case t.res != nil:
		return t.res.Address + " (" + t.res.Range.File + ")"
	case t.doc != nil:
		return fmt.Sprintf("%s:%d", t.doc.File, t.value.Range.Line)
	}
	return "the graph"
}

func (s *Set) prepare(ctx context.Context, p *Policy, store storage.Store, hook print.Hook) (*prepared, error) {
	opts := func(q string) []func(*rego.Rego) {
		return []func(*rego.Rego){
			rego.Compiler(s.compiler),
			rego.Query(q),
			rego.Store(store),
			rego.EnablePrintStatements(true),
			rego.PrintHook(hook),
			// opa.runtime is not in the capabilities; an empty runtime
			// keeps the environment out even if it were.
			rego.Runtime(ast.NewTerm(ast.NewObject())),
		}
	}
	q, err := rego.New(opts(p.query)...).PrepareForEval(ctx)
	if err != nil {
		return nil, err
	}
	pp := &prepared{query: q}
	if p.exception != "" {
		eq, err := rego.New(opts(fmt.Sprintf("data.%s.exception[_][_] == %q", p.Package, p.exception))...).PrepareForEval(ctx)
		if err != nil {
			return nil, err
		}
		pp.exception = &eq
	}
	return pp, nil
}

// tasks lists each (policy, input) evaluation with its input built, before
// the memory watchdog starts, so building inputs does not count against
// the evaluations.
func (s *Set) tasks(policies []*Policy, env Env) []task {
	var tasks []task
	conv := newConverter()
	conv.parallel = true
	var byType map[string][]*graph.Resource
	var types []string
	attrs := map[*graph.Resource]ast.Value{}
	attrOf := func(r *graph.Resource) ast.Value {
		v, ok := attrs[r]
		if !ok {
			v = conv.value(r.Attrs)
			attrs[r] = v
		}
		return v
	}
	var rawInputs []task
	rawBuilt := false
	keys, whole := s.inputKeys()
	var graphInput ast.Value
	graphBuilt := false
	for _, p := range policies {
		switch p.Shape {
		case Resource:
			if byType == nil && env.Graph != nil {
				byType = map[string][]*graph.Resource{}
				for _, r := range env.Graph.Resources() {
					if _, ok := byType[r.Type]; !ok {
						types = append(types, r.Type)
					}
					byType[r.Type] = append(byType[r.Type], r)
				}
				sort.Strings(types)
			}
			for _, t := range types {
				if !p.selects(t) {
					continue
				}
				for _, r := range byType[t] {
					tasks = append(tasks, task{p: p, res: r, input: attrOf(r)})
				}
			}
		case Raw:
			if !rawBuilt {
				rawBuilt = true
				for i := range env.Documents {
					d := &env.Documents[i]
					// conftest checks each element of a document that is
					// a list on its own.
					if d.Value != nil && d.Value.Kind == graph.List {
						for _, e := range d.Value.List {
							rawInputs = append(rawInputs, task{doc: d, value: e, input: conv.document(e, keys, whole)})
						}
						continue
					}
					rawInputs = append(rawInputs, task{doc: d, value: d.Value, input: conv.document(d.Value, keys, whole)})
				}
			}
			for _, in := range rawInputs {
				in.p = p
				tasks = append(tasks, in)
			}
		case Graph:
			if !graphBuilt && env.Graph != nil {
				graphBuilt = true
				graphInput = GraphValue(env.Graph, attrOf)
			}
			if graphInput != nil {
				tasks = append(tasks, task{p: p, input: graphInput})
			}
		}
	}
	return tasks
}

// selects reports whether the policy's selector admits a resource type.
// A type glob's * matches any run of characters, : included (k8s:*).
func (p *Policy) selects(typ string) bool {
	if len(p.Types) == 0 {
		return true
	}
	for _, g := range p.Types {
		if g == typ {
			return true
		}
		if strings.ContainsAny(g, "*?[") {
			if ok, _ := path.Match(g, typ); ok {
				return true
			}
		}
	}
	return false
}

func evalOne(ctx context.Context, pp *prepared, input ast.Value, limits Limits, wd *watchdog) (o outcome) {
	// A panic inside the engine on some input must cost only this
	// evaluation, as a crashing built-in rule costs only its verdicts.
	defer func() {
		if e := recover(); e != nil {
			o = outcome{err: fmt.Errorf("internal error in the policy engine: %v", e)}
		}
	}()
	st := &evalState{}
	cctx, cancel := context.WithCancelCause(context.WithValue(ctx, stateKey{}, st))
	defer cancel(nil)
	tctx, tcancel := context.WithTimeoutCause(cctx, limits.Timeout, errTimeBound)
	defer tcancel()
	fl := wd.add(cancel)
	rs, err := pp.query.Eval(tctx, rego.EvalParsedInput(input))
	var excepted bool
	if err == nil && len(rs) > 0 && pp.exception != nil {
		var ers rego.ResultSet
		ers, err = pp.exception.Eval(tctx, rego.EvalParsedInput(input))
		excepted = err == nil && len(ers) > 0
	}
	wd.remove(fl)
	if why := st.get(); why != "" {
		return outcome{err: fmt.Errorf("memory bound: %s", why)}
	}
	if err != nil {
		switch context.Cause(tctx) {
		case errMemoryBound:
			return outcome{retry: true}
		case errTimeBound:
			return outcome{err: fmt.Errorf("%w: evaluation took more than %s", errTimeBound, limits.Timeout), timedOut: true}
		case errPolicyStopped:
			return outcome{skipped: true}
		}
		return outcome{err: err}
	}
	var values []any
	for _, r := range rs {
		for _, e := range r.Expressions {
			switch v := e.Value.(type) {
			case []any:
				values = append(values, v...)
			case nil, bool:
				if v == true {
					values = append(values, v)
				}
			case map[string]any:
				values = append(values, setLike(v)...)
			default:
				values = append(values, v)
			}
		}
	}
	return outcome{values: values, excepted: excepted}
}

// setLike reads a rule that evaluated to an object. In Rego v1,
// `deny[msg] if { ... }` (a v0 set rule written with if) defines an object
// from each msg to true; its keys are the messages meant. Any other object
// is one result, as conftest's violation objects are.
func setLike(o map[string]any) []any {
	for _, v := range o {
		if v != true {
			return []any{o}
		}
	}
	keys := make([]string, 0, len(o))
	for k := range o {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]any, len(keys))
	for i, k := range keys {
		out[i] = k
	}
	return out
}

// result turns one deny/warn/violation value into a failed verdict at the
// best position the value and the input tell.
func (s *Set) result(t task, v any, loc *locator) rule.Result {
	msg, segs, ref := resultFields(v, t.p)
	r := rule.Result{Rule: t.p.Rule, Status: rule.StatusFail, Message: msg}
	switch t.p.Shape {
	case Resource:
		r.Resource = t.res
		r.Range, r.Path = walk(t.res.Attrs, segs, t.res.Range, nil)
	case Raw:
		var owner *graph.Resource
		at, p := walk(t.value, segs, t.value.Range, func(v *graph.Value) {
			if o := loc.owner(v); o != nil {
				owner = o
			}
		})
		if at.File == "" {
			at.File = t.doc.File
		}
		r.Range = at
		switch {
		case loc.docResource(t.value) != nil:
			// The document is one resource (a Kubernetes object): the
			// path is an attribute path of it.
			r.Resource, r.Path = loc.docResource(t.value), p
		case owner != nil:
			// The path goes through a resource's own attributes (a
			// plan's change.after): it is that resource's, wherever
			// it is written.
			r.Resource = owner
		case p != "" && loc.at(at) != nil:
			// A path into a file of many resources (a .tf file, a
			// plan) lands on the resource written there.
			r.Resource = loc.at(at)
		default:
			r.Resource, r.Path = fileResource(t.doc, t.value), p
		}
	case Graph:
		if res := loc.byRef(ref); res != nil {
			r.Resource = res
			r.Range, r.Path = walk(res.Attrs, segs, res.Range, nil)
		} else {
			r.Resource = &graph.Resource{ID: -1, Type: "policy", Mode: graph.Managed, Name: t.p.Rule.ID,
				Address: "policy:" + t.p.Rule.ID, Range: t.p.At, Origin: "policy"}
			r.Range = t.p.At
		}
	}
	return r
}

// subject is what a pass is recorded on.
func (t *task) subject(loc *locator) (*graph.Resource, graph.Range) {
	if t.res != nil {
		return t.res, t.res.Range
	}
	at := t.value.Range
	if at.File == "" {
		at.File = t.doc.File
	}
	if r := loc.docResource(t.value); r != nil {
		return r, at
	}
	return fileResource(t.doc, t.value), at
}

// fileResource stands for a document no resource of the graph covers (a
// whole plan file, a .tf file), so its findings still have an address to
// be suppressed and baselined by.
func fileResource(d *Document, v *graph.Value) *graph.Resource {
	addr := d.File
	if d.Index > 0 {
		addr += "#" + strconv.Itoa(d.Index)
	}
	rng := v.Range
	if rng.File == "" {
		rng.File = d.File
	}
	return &graph.Resource{ID: -1, Type: "file", Mode: graph.Managed, Name: filepath.Base(d.File), Address: addr,
		Range: rng, Origin: d.Kind}
}

// resultFields reads a result value: a string is the message; an object
// (conftest's violation style) gives msg, and may name the attribute
// (path: "a.b[0].c" or ["a", "b", 0, "c"]) and, for graph policies, the
// resource (its id, address, or the resource object itself).
func resultFields(v any, p *Policy) (msg string, segs []string, ref any) {
	switch t := v.(type) {
	case string:
		return t, nil, nil
	case map[string]any:
		if m, ok := t["msg"].(string); ok {
			msg = m
		} else {
			b, _ := json.Marshal(t)
			msg = string(b)
		}
		segs = pathSegments(t["path"])
		ref = t["resource"]
		return msg, segs, ref
	case bool:
		return p.Rule.Title, nil, nil
	}
	b, _ := json.Marshal(v)
	return string(b), nil, nil
}

func pathSegments(v any) []string {
	switch t := v.(type) {
	case string:
		var segs []string
		for _, part := range strings.Split(t, ".") {
			// a[0][1] → a, 0, 1
			for part != "" {
				i := strings.IndexByte(part, '[')
				if i < 0 {
					segs = append(segs, part)
					break
				}
				if i > 0 {
					segs = append(segs, part[:i])
				}
				j := strings.IndexByte(part[i:], ']')
				if j < 0 {
					segs = append(segs, part[i+1:])
					break
				}
				segs = append(segs, strings.Trim(part[i+1:i+j], `"'`))
				part = part[i+j+1:]
			}
		}
		return segs
	case []any:
		segs := make([]string, 0, len(t))
		for _, e := range t {
			switch x := e.(type) {
			case string:
				segs = append(segs, x)
			case json.Number:
				segs = append(segs, x.String())
			case float64:
				segs = append(segs, strconv.Itoa(int(x)))
			default:
				segs = append(segs, fmt.Sprint(x))
			}
		}
		return segs
	}
	return nil
}

// walk follows segs as far as the value goes, by the graph's own path rules
// (graph.Value.Get: a list of one element is stepped through by name, as
// Terraform blocks are written), and returns the range of the deepest part
// that has one and the dotted path followed. visit, when set, is given
// each value stepped to, outermost first.
func walk(v *graph.Value, segs []string, fallback graph.Range, visit func(*graph.Value)) (graph.Range, string) {
	best := fallback
	if v != nil && v.Range.Line > 0 {
		best = v.Range
	}
	var followed []string
	cur := v
	for _, s := range segs {
		if cur == nil || cur.Kind == graph.Unknown {
			break
		}
		next := cur.Get(s)
		if next == nil {
			break
		}
		if cur.Kind == graph.List && strings.Trim(s, "0123456789") != "" {
			followed = append(followed, "0")
		}
		followed = append(followed, s)
		cur = next
		if visit != nil {
			visit(cur)
		}
		if cur.Range.Line > 0 {
			best = cur.Range
		}
	}
	return best, strings.Join(followed, ".")
}

// locator finds graph resources by position and by reference.
type locator struct {
	g      *graph.Graph
	once   sync.Once
	byFile map[string][]*graph.Resource
	end    map[*graph.Resource]int32
	// shared are the lines on which resources start at different
	// columns (a plan written on one line), by file.
	shared map[string]map[int32]bool
	mu     sync.Mutex
	docEnd map[*graph.Value]int32
	docRes map[*graph.Value]*graph.Resource
	// owners maps each resource's attribute tree to the resource.
	ownersOnce sync.Once
	owners     map[*graph.Value]*graph.Resource
}

// lastLine is the greatest line of v's parts written in file.
func lastLine(v *graph.Value, file string, max int32) int32 {
	if v == nil {
		return max
	}
	if v.Range.File == file && v.Range.Line > max {
		max = v.Range.Line
	}
	if v.Range.File == file && v.Range.EndLine > max {
		max = v.Range.EndLine
	}
	for _, e := range v.List {
		max = lastLine(e, file, max)
	}
	for _, e := range v.Map.All() {
		max = lastLine(e, file, max)
	}
	return lastLine(v.Doc(), file, max)
}

func newLocator(g *graph.Graph) *locator {
	return &locator{g: g, docEnd: map[*graph.Value]int32{}, docRes: map[*graph.Value]*graph.Resource{}}
}

// at returns the innermost resource whose range holds the position, so a
// raw Kubernetes document or a path into a .tf file lands on the resource
// written there.
func (l *locator) at(r graph.Range) *graph.Resource {
	if l.g == nil || r.Line == 0 {
		return nil
	}
	l.index()
	rs := l.byFile[r.File]
	i := sort.Search(len(rs), func(i int) bool { return rs[i].Range.Line > r.Line })
	// Resources nest rarely and shallowly (a CloudFormation resource and
	// the parts split out of it), so a short look back suffices.
	for j, n := i-1, 0; j >= 0 && n < 64; j, n = j-1, n+1 {
		res := rs[j]
		if r.Line <= l.endOf(res) {
			if l.shared[r.File][res.Range.Line] {
				// Lines do not tell apart resources written on one.
				return nil
			}
			return res
		}
	}
	return nil
}

// owner is the resource whose attribute tree v is, if any.
func (l *locator) owner(v *graph.Value) *graph.Resource {
	if l.g == nil || v == nil {
		return nil
	}
	l.ownersOnce.Do(func() {
		l.owners = map[*graph.Value]*graph.Resource{}
		for _, r := range l.g.Resources() {
			if r.Attrs != nil {
				l.owners[r.Attrs] = r
			}
		}
	})
	return l.owners[v]
}

// index lists each file's resources by line, once.
func (l *locator) index() {
	l.once.Do(func() {
		l.byFile = map[string][]*graph.Resource{}
		l.end = map[*graph.Resource]int32{}
		for _, res := range l.g.Resources() {
			if res.Range.Line > 0 {
				l.byFile[res.Range.File] = append(l.byFile[res.Range.File], res)
				if res.Range.EndLine == 0 {
					// Front-ends that record no end (CloudFormation, YAML)
					// still place every attribute: the last of them in
					// the resource's file ends it.
					l.end[res] = lastLine(res.Attrs, res.Range.File, res.Range.Line)
				}
			}
		}
		l.shared = map[string]map[int32]bool{}
		for f, rs := range l.byFile {
			sort.SliceStable(rs, func(i, j int) bool { return rs[i].Range.Line < rs[j].Range.Line })
			for i := 1; i < len(rs); i++ {
				a, b := rs[i-1].Range, rs[i].Range
				if a.Line == b.Line && a.Column != 0 && b.Column != 0 && a.Column != b.Column {
					if l.shared[f] == nil {
						l.shared[f] = map[int32]bool{}
					}
					l.shared[f][a.Line] = true
				}
			}
		}
	})
}

// docResource is the resource a whole document is (a Kubernetes object):
// one that starts where the document does and reaches its end. A .tf
// file whose first resource starts on line 1 is not that resource, nor is
// the first resource of a plan written on one line, as terraform show
// -json writes it: there the column tells them apart.
func (l *locator) docResource(v *graph.Value) *graph.Resource {
	if l.g == nil || v == nil || v.Range.Line == 0 {
		return nil
	}
	// Asked for every result on the document: a plan on one line has
	// thousands of resources starting on its line to look through.
	l.mu.Lock()
	r, ok := l.docRes[v]
	l.mu.Unlock()
	if !ok {
		r = l.findDocResource(v)
		l.mu.Lock()
		l.docRes[v] = r
		l.mu.Unlock()
	}
	return r
}

func (l *locator) findDocResource(v *graph.Value) *graph.Resource {
	l.index()
	var r *graph.Resource
	rs := l.byFile[v.Range.File]
	i := sort.Search(len(rs), func(i int) bool { return rs[i].Range.Line > v.Range.Line })
	for j := i - 1; j >= 0 && rs[j].Range.Line == v.Range.Line; j-- {
		if c := rs[j].Range.Column; c == 0 || v.Range.Column == 0 || c == v.Range.Column {
			r = rs[j]
			break
		}
	}
	if r == nil {
		return nil
	}
	l.mu.Lock()
	end, ok := l.docEnd[v]
	if !ok {
		end = lastLine(v, v.Range.File, v.Range.Line)
		l.docEnd[v] = end
	}
	l.mu.Unlock()
	if l.endOf(r) < end {
		return nil
	}
	return r
}

func (l *locator) endOf(r *graph.Resource) int32 {
	if r.Range.EndLine > 0 {
		return r.Range.EndLine
	}
	return l.end[r]
}

// byRef resolves a graph policy's resource reference: an id, an address,
// or a resource object from input.resources.
func (l *locator) byRef(ref any) *graph.Resource {
	if l.g == nil || ref == nil {
		return nil
	}
	rs := l.g.Resources()
	switch t := ref.(type) {
	case json.Number:
		if i, err := t.Int64(); err == nil && i >= 0 && int(i) < len(rs) {
			return rs[i]
		}
	case float64:
		if i := int(t); i >= 0 && i < len(rs) {
			return rs[i]
		}
	case string:
		if m := l.g.ByAddress(t); len(m) > 0 {
			return m[0]
		}
	case map[string]any:
		if id, ok := t["id"]; ok {
			return l.byRef(id)
		}
		if a, ok := t["address"]; ok {
			return l.byRef(a)
		}
	}
	return nil
}

type printer struct {
	mu sync.Mutex
	w  io.Writer
}

func (p *printer) Print(c print.Context, msg string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c.Location != nil {
		_, err := fmt.Fprintf(p.w, "%s:%d: %s\n", c.Location.File, c.Location.Row, msg)
		return err
	}
	_, err := fmt.Fprintln(p.w, msg)
	return err
}
