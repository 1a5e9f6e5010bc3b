// Package graph is the one model every front-end produces and every rule
// reads: resources with attribute trees whose values may be unknown, the
// source range each came from, the module call chain that produced it, and
// reference edges between resources.
package graph

import (
	"slices"
	"sort"
	"strings"
	"sync"
)

// Mode separates managed resources from data sources and provider
// configurations.
type Mode string

const (
	Managed Mode = "managed"
	Data    Mode = "data"
	// Provider is a Terraform provider configuration (a provider block):
	// Type is the provider's local name (aws, kubernetes), Name its alias
	// or, without one, the local name, and Address provider.<name>[.<alias>]
	// after the module path. Its attributes are the block's arguments.
	Provider Mode = "provider"
)

// ModuleCall is one step of the chain of module calls that produced a
// resource, e.g. module.eks or module.nodes["a"].
type ModuleCall struct {
	Name  string `json:"name"`            // e.g. module.nodes["a"]
	Range Range  `json:"range,omitempty"` // the calling block, when known
}

// Resource is one instance of infrastructure or one Kubernetes object.
//
// Type uses one vocabulary whatever the input format: Terraform AWS provider
// type names for AWS resources (aws_eks_cluster), and "k8s:<Kind>" for
// Kubernetes objects. Attributes follow the same canonical shape, so a rule
// never needs to know which format a resource came from.
type Resource struct {
	ID      int          `json:"id"`
	Type    string       `json:"type"`
	Mode    Mode         `json:"mode"`
	Name    string       `json:"name"`
	Address string       `json:"address"`
	Module  []ModuleCall `json:"module,omitempty"`
	Attrs   *Value       `json:"attributes"`
	Range   Range        `json:"range"`
	// Origin names the front-end that produced the resource. It is for
	// reports only; rules must not branch on it.
	Origin string `json:"origin"`
	// ConfigAddr is the address without instance keys inside the module
	// (aws_subnet.public for aws_subnet.public[1]); front-ends use it to
	// resolve references.
	ConfigAddr string `json:"-"`
	// ModulePath is the module instance path (module.a[0].module.b).
	ModulePath string `json:"-"`
	// Alternative is set on a resource that one of several alternative
	// renderings produced: a release of a chart rendered once per values
	// file, an overlay among sibling overlays of one base. Resources of
	// two alternatives of one group are never deployed together.
	Alternative Alternative `json:"-"`
	// RootModule is set on what a Terraform configuration or plan declares
	// (and on the objects its kubernetes_manifest resources hold): it is
	// applied together with the rest of one root module, unlike a manifest
	// or chart, which is applied on its own. Rules that relate resources
	// of one deployment read the root module's directory from it.
	RootModule bool `json:"-"`
	// ValueOrigins is set when some of its values were copied from
	// elsewhere (a chart's template from a values file), each of which
	// says where with Value.From. Reports look that up only then: on a
	// large plan, a lookup for each finding read attributes long out of
	// the cache.
	ValueOrigins bool `json:"-"`
}

// Alternative names one of several renderings of the same source that are
// deployed instead of each other (values-staging.yaml or values-prod.yaml
// of one chart; overlays/staging or overlays/prod of one base).
type Alternative struct {
	Group string // what is rendered several ways (the chart, the overlays' directory)
	Name  string // which way (the release, the overlay)
}

// Coexists reports whether r and o may be deployed together: always,
// unless they come from different alternatives of one group.
func (r *Resource) Coexists(o *Resource) bool {
	a, b := r.Alternative, o.Alternative
	return a.Group == "" || b.Group == "" || a.Group != b.Group || a.Name == b.Name
}

// Get reads an attribute by dotted path.
func (r *Resource) Get(dotted string) *Value { return r.Attrs.GetPath(dotted) }

// AttrRange returns the source range of the attribute at the dotted path,
// falling back to the nearest enclosing attribute that has one and finally
// to the resource itself.
func (r *Resource) AttrRange(dotted string) Range {
	for dotted != "" {
		if v := r.Attrs.GetPath(dotted); v != nil && v.Range.Line > 0 {
			return v.Range
		}
		i := strings.LastIndexByte(dotted, '.')
		if i < 0 {
			break
		}
		dotted = dotted[:i]
	}
	return r.Range
}

// Edge is a reference from one resource's attribute to another resource.
type Edge struct {
	From *Resource
	To   *Resource
	// Attr is the dotted attribute path of From that holds the reference
	// (launch_template.id, vpc_config.subnet_ids).
	Attr string
}

// Graph holds all resources read in one scan.
type Graph struct {
	resources []*Resource
	byType    map[string][]*Resource
	byAddr    map[string][]*Resource
	// out and in are the edges of each resource, by its ID: a large plan
	// links hundreds of thousands of resources, and maps keyed by them
	// were rehashed at each doubling, every step a cache miss.
	out [][]Edge
	in  [][]Edge
	// hubEdges holds, for a resource with more than hubEdges out-edges,
	// those edges as a set; below that Link finds a duplicate by reading
	// the out-edges. A set of every edge was 5% of a large plan's graph.
	hubEdges map[*Resource]map[edgeKey]struct{}
	nEdges   int

	memoMu sync.Mutex
	memo   map[any]any // Memo's entries, by key type and value
}

type edgeKey struct {
	to   *Resource
	attr string
}

// hubEdges is the out-degree above which Link keeps a set of a resource's
// edges rather than reading them all for each new one.
const hubEdges = 16

// New returns an empty graph.
func New() *Graph {
	return &Graph{
		byType:   map[string][]*Resource{},
		byAddr:   map[string][]*Resource{},
		hubEdges: map[*Resource]map[edgeKey]struct{}{},
	}
}

// Reserve makes room for n more resources, so that adding them grows
// neither the list nor the address index step by step.
func (g *Graph) Reserve(n int) {
	if n <= 0 {
		return
	}
	g.resources = slices.Grow(g.resources, n)
	if len(g.byAddr) == 0 {
		g.byAddr = make(map[string][]*Resource, n)
	}
}

// Add inserts a resource and returns it.
func (g *Graph) Add(r *Resource) *Resource {
	if r.Mode == "" {
		r.Mode = Managed
	}
	if r.Attrs == nil {
		r.Attrs = NewMap(nil)
	}
	r.ID = len(g.resources)
	g.resources = append(g.resources, r)
	g.byType[typeKey(r.Mode, r.Type)] = append(g.byType[typeKey(r.Mode, r.Type)], r)
	g.byAddr[r.Address] = append(g.byAddr[r.Address], r)
	return r
}

func typeKey(m Mode, t string) string {
	switch m {
	case Data:
		return "data." + t
	case Provider:
		return "provider." + t
	}
	return t
}

// Memo returns the value build computes for key, computing it once per
// graph. Rules share derived indexes through it (every workload's pod spec,
// the objects of each namespace) instead of each rebuilding them.
//
// Each cache has a key type of its own, whose fields are everything the
// value depends on besides the graph (the settings it was built with, the
// resource it is about): entries are told apart by the key's type and
// value, so two caches never share an entry, and one built with other
// settings is never returned. A key type must be used with one value type
// only. Values must be treated as read-only, and the graph must not change
// after rules start.
func Memo[K comparable, V any](g *Graph, key K, build func() V) V {
	g.memoMu.Lock()
	v, ok := g.memo[key]
	g.memoMu.Unlock()
	if ok {
		return v.(V)
	}
	// Built outside the lock: one index may be built from another. Two
	// callers may then both build it; the first stored is kept, so every
	// caller sees one value.
	nv := build()
	g.memoMu.Lock()
	defer g.memoMu.Unlock()
	if prev, ok := g.memo[key]; ok {
		return prev.(V)
	}
	if g.memo == nil {
		g.memo = map[any]any{}
	}
	g.memo[key] = nv
	return nv
}

// ForgetMemos drops what Memo holds. A scan calls it once the rules and
// the analyses that read the indexes are done: they would otherwise live
// as long as the graph, which the report still reads (a fifth of the live
// heap on a large plan). A later Memo builds its value again; a setting
// kept through Memo (iam.SetAccount's account) must be given again.
func (g *Graph) ForgetMemos() {
	g.memoMu.Lock()
	g.memo = nil
	g.memoMu.Unlock()
}

// Resources returns every resource in insertion order.
func (g *Graph) Resources() []*Resource { return g.resources }

// Len is the number of resources.
func (g *Graph) Len() int { return len(g.resources) }

// OfType returns managed resources (and Kubernetes objects) of the given
// types, in insertion order per type.
func (g *Graph) OfType(types ...string) []*Resource {
	if len(types) == 1 {
		return g.byType[types[0]]
	}
	var out []*Resource
	for _, t := range types {
		out = append(out, g.byType[t]...)
	}
	return out
}

// DataOfType returns data sources of the given type.
func (g *Graph) DataOfType(t string) []*Resource { return g.byType["data."+t] }

// ProvidersOf returns the configurations of the provider of that local
// name (aws, kubernetes).
func (g *Graph) ProvidersOf(name string) []*Resource { return g.byType["provider."+name] }

// ByAddress returns the resources with an address (several when inputs
// from different directories share one).
func (g *Graph) ByAddress(addr string) []*Resource { return g.byAddr[addr] }

// Link records that from's attribute attr refers to to. Duplicate edges are
// ignored.
func (g *Graph) Link(from, to *Resource, attr string) {
	if from == nil || to == nil || from == to {
		return
	}
	fi, ti := g.slot(from), g.slot(to)
	if fi < 0 || ti < 0 {
		return
	}
	if len(g.out) < len(g.resources) {
		g.out = slices.Grow(g.out, len(g.resources)-len(g.out))[:len(g.resources)]
		g.in = slices.Grow(g.in, len(g.resources)-len(g.in))[:len(g.resources)]
	}
	out := g.out[fi]
	if len(out) < hubEdges {
		for _, e := range out {
			if e.To == to && e.Attr == attr {
				return
			}
		}
	} else {
		set := g.hubEdges[from]
		if set == nil {
			set = make(map[edgeKey]struct{}, 2*len(out))
			for _, e := range out {
				set[edgeKey{e.To, e.Attr}] = struct{}{}
			}
			g.hubEdges[from] = set
		}
		k := edgeKey{to, attr}
		if _, ok := set[k]; ok {
			return
		}
		set[k] = struct{}{}
	}
	g.nEdges++
	e := Edge{From: from, To: to, Attr: attr}
	g.out[fi] = append(g.out[fi], e)
	g.in[ti] = append(g.in[ti], e)
}

// slot is r's index in the edge lists, -1 when r is not in g (a result's
// stand-in resource for a file or a policy).
func (g *Graph) slot(r *Resource) int {
	if r.ID < 0 || r.ID >= len(g.resources) || g.resources[r.ID] != r {
		return -1
	}
	return r.ID
}

// Out returns the references made by r.
func (g *Graph) Out(r *Resource) []Edge {
	if i := g.slot(r); i >= 0 && i < len(g.out) {
		return g.out[i]
	}
	return nil
}

// In returns the references made to r.
func (g *Graph) In(r *Resource) []Edge {
	if i := g.slot(r); i >= 0 && i < len(g.in) {
		return g.in[i]
	}
	return nil
}

// Targets returns the resources r refers to from attributes at or below the
// dotted prefix attr ("" for any), optionally only of the given types.
func (g *Graph) Targets(r *Resource, attr string, types ...string) []*Resource {
	traceEdge(r, nil, attr)
	var out []*Resource
	for _, e := range g.Out(r) {
		if attr != "" && !pathHasPrefix(e.Attr, attr) {
			continue
		}
		if len(types) > 0 && !contains(types, e.To.Type) {
			continue
		}
		out = appendUnique(out, e.To)
	}
	return out
}

// Sources returns the resources that refer to r, optionally from an
// attribute at or below attr, and only of the given types.
func (g *Graph) Sources(r *Resource, attr string, types ...string) []*Resource {
	if readTrace.Load() != nil {
		if len(types) > 0 {
			traceEdge(nil, types, attr)
		} else {
			for _, e := range g.In(r) {
				traceEdge(e.From, nil, attr)
			}
		}
	}
	var out []*Resource
	for _, e := range g.In(r) {
		if attr != "" && !pathHasPrefix(e.Attr, attr) {
			continue
		}
		if len(types) > 0 && !contains(types, e.From.Type) {
			continue
		}
		out = appendUnique(out, e.From)
	}
	return out
}

// EdgeCount is the number of distinct edges.
func (g *Graph) EdgeCount() int { return g.nEdges }

// SortedEdges returns every edge in a deterministic order.
func (g *Graph) SortedEdges() []Edge {
	var out []Edge
	for _, es := range g.out {
		out = append(out, es...)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].From.ID != out[j].From.ID {
			return out[i].From.ID < out[j].From.ID
		}
		if out[i].To.ID != out[j].To.ID {
			return out[i].To.ID < out[j].To.ID
		}
		return out[i].Attr < out[j].Attr
	})
	return out
}

func pathHasPrefix(path, prefix string) bool {
	return path == prefix || strings.HasPrefix(path, prefix+".")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func appendUnique(list []*Resource, r *Resource) []*Resource {
	for _, x := range list {
		if x == r {
			return list
		}
	}
	return append(list, r)
}
