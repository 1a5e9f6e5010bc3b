package builtin

import (
	"sort"
	"strconv"
	"strings"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/rule"
)

// Kubernetes objects reach the graph as "k8s:<Kind>" resources whatever they
// were written in (YAML, JSON, a Terraform kubernetes_manifest), with the
// manifest as their attribute tree: apiVersion, kind, metadata, spec.

// podSpecPath is where a workload kind (graph.WorkloadTypes) keeps its
// pod spec.
func podSpecPath(kind string) string {
	p, _ := graph.PodSpecPath(kind)
	return p
}

// podSpec is the pod template of one workload.
type podSpec struct {
	Res *graph.Resource
	// Spec is the pod spec value (may be nil when the manifest has none,
	// or unknown when a Terraform value is known only after apply).
	Spec *graph.Value
	// Path is the dotted path of Spec within Res ("spec.template.spec").
	Path string
	// Name is kindName(Res), for messages.
	Name string

	// sc is the pod's securityContext, read once: the pod security rules
	// all look into it for every container.
	sc         *graph.Value
	ctrs       []container
	ctrUnknown bool
}

// Get reads a pod-spec attribute by dotted path below the spec.
func (ps podSpec) Get(dotted string) *graph.Value { return ps.Spec.GetPath(dotted) }

// SC reads a securityContext field of the pod by dotted path:
// ps.Get("securityContext." + dotted) without building the path.
func (ps podSpec) SC(dotted string) *graph.Value { return ps.sc.GetPath(dotted) }

// firstPresent is firstPresent(ps.Res, ps.At(rel)...), read below the
// spec rather than from the resource's root: the first path that names a
// value, "" for the spec itself.
func (ps podSpec) firstPresent(rels ...string) string {
	for _, rel := range rels {
		if ps.Spec.GetPath(rel) != nil {
			return ps.At(rel)
		}
	}
	return ""
}

// At joins a path below the pod spec onto the spec's own path.
func (ps podSpec) At(dotted string) string {
	if dotted == "" {
		return ps.Path
	}
	return ps.Path + "." + dotted
}

type workloadsKey struct{}

// workloads returns the pod template of every workload in the graph, in
// file and line order. It is computed once per graph and shared by every
// rule: callers must not modify the slice.
func workloads(g *graph.Graph) []podSpec {
	return graph.Memo(g, workloadsKey{}, func() []podSpec {
		var out []podSpec
		for _, kind := range graph.WorkloadTypes {
			path := podSpecPath(kind)
			for _, r := range g.OfType(kind) {
				ps := podSpec{Res: r, Spec: r.Get(path), Path: path, Name: kindName(r)}
				ps.sc = ps.Spec.Get("securityContext")
				ps.ctrs, ps.ctrUnknown = ps.listContainers()
				out = append(out, ps)
			}
		}
		// File and line order, so "the first workload of a namespace" is
		// the one a reader meets first.
		sort.SliceStable(out, func(i, j int) bool {
			a, b := out[i].Res, out[j].Res
			if a.Range.File != b.Range.File {
				return a.Range.File < b.Range.File
			}
			if a.Range.Line != b.Range.Line {
				return a.Range.Line < b.Range.Line
			}
			return a.ID < b.ID
		})
		return out
	})
}

// container is one container of a pod spec.
type container struct {
	V *graph.Value
	// Path is the dotted path of the container within its resource
	// (spec.template.spec.containers.0).
	Path string
	// Name is the container's name, or its list position when unnamed.
	Name string
	// Field is containers, initContainers or ephemeralContainers.
	Field string
	// Who names the container in messages: Deployment web, init
	// container "migrate".
	Who string

	// sc is the container's securityContext, read once.
	sc *graph.Value
	// direct is true when V is the value at Path: the container list is a
	// list. A single map written in its place is read as a one-container
	// list (Items), but paths below Path then name nothing, and lookups
	// from the resource's root say so.
	direct bool
}

// Get reads a container attribute by dotted path.
func (c container) Get(dotted string) *graph.Value { return c.V.GetPath(dotted) }

// SC reads a securityContext field of the container by dotted path:
// c.Get("securityContext." + dotted) without building the path.
func (c container) SC(dotted string) *graph.Value { return c.sc.GetPath(dotted) }

// firstPresent is firstPresent(r, c.At(rel)...), where r holds the
// container, read below the container rather than from the resource's
// root: the first path that names a value, "" for the container itself.
// Only the path returned is built.
func (c container) firstPresent(r *graph.Resource, rels ...string) string {
	for _, rel := range rels {
		var v *graph.Value
		if c.direct {
			v = c.V.GetPath(rel)
		} else {
			v = r.Get(c.At(rel))
		}
		if v != nil {
			return c.At(rel)
		}
	}
	return ""
}

// At joins a path below the container onto the container's own path.
func (c container) At(dotted string) string {
	if dotted == "" {
		return c.Path
	}
	return c.Path + "." + dotted
}

// containerFields lists where a pod spec keeps containers; init and
// ephemeral containers run with the same privileges as the main ones.
var containerFields = []string{"containers", "initContainers", "ephemeralContainers"}

// containers returns every container of a pod spec. unknown is true when a
// container list (or the spec) is not knowable from code, so a rule can
// report unknown instead of passing a workload it could not see.
func (ps podSpec) containers() (out []container, unknown bool) {
	if ps.ctrs != nil || ps.ctrUnknown {
		return ps.ctrs, ps.ctrUnknown
	}
	return ps.listContainers()
}

func (ps podSpec) listContainers() (out []container, unknown bool) {
	if ps.Spec.IsUnknown() {
		return nil, true
	}
	for _, f := range containerFields {
		list := ps.Spec.Get(f)
		if list.IsUnknown() {
			unknown = true
			continue
		}
		for i, c := range list.Items() {
			if c.IsUnknown() {
				unknown = true
				continue
			}
			name := strconv.Itoa(i)
			if n, ok := rule.StringOr(c.Get("name"), ""); ok && n != "" {
				name = n
			}
			ctr := container{V: c, Path: ps.At(f + "." + strconv.Itoa(i)), Name: name, Field: f,
				sc: c.Get("securityContext"), direct: list.Kind == graph.List}
			ctr.Who = podSecWho(ps, ctr)
			out = append(out, ctr)
		}
	}
	return out, unknown
}

// namespaceOf returns the namespace of a namespaced object. Front-ends
// write the default namespace into objects that name none, so an absent
// value here means a cluster-scoped object. ok is false when the namespace
// is known only after apply.
func namespaceOf(r *graph.Resource) (ns string, ok bool) {
	return rule.StringOr(r.Get("metadata.namespace"), "")
}

// namespaceTypes are the resources that declare a namespace: Namespace
// manifests and the Terraform kubernetes provider's namespace resources,
// whose metadata block reads the same (metadata.name, metadata.labels).
var namespaceTypes = []string{"k8s:Namespace", "kubernetes_namespace", "kubernetes_namespace_v1"}

// namespaceIndex maps namespace names to the resources that declare them.
// Namespaces whose name is unknown are kept apart.
type namespaceIndex struct {
	// byName holds every declaration of each name: alternative renderings
	// (two overlays of one base) may each declare it.
	byName  map[string][]*graph.Resource
	unknown []*graph.Resource
}

func indexNamespaces(g *graph.Graph) namespaceIndex {
	idx := namespaceIndex{byName: map[string][]*graph.Resource{}}
	for _, r := range g.OfType(namespaceTypes...) {
		name, ok := rule.StringOr(r.Get("metadata.name"), "")
		switch {
		case !ok:
			idx.unknown = append(idx.unknown, r)
		case name != "":
			idx.byName[name] = append(idx.byName[name], r)
		}
	}
	return idx
}

// systemNamespaces are run by EKS and Kubernetes themselves; namespace-wide
// rules (isolation, quotas, admission labels) are about the team's own
// namespaces and skip these.
var systemNamespaces = map[string]bool{"kube-system": true, "kube-public": true, "kube-node-lease": true}

// workloadNamespace is one namespace that runs workloads, with where a
// finding about it should point: the Namespace object when it was scanned,
// else the first workload of it (in file and line order).
//
// Workloads of alternative renderings (releases of one chart, sibling
// overlays) that run in one namespace are judged apart, each with the
// objects deployed beside it: one namespace per alternative. So are the
// workloads of different deployment units (Terraform root modules and the
// files under their directories, see deployUnit): in a repository of
// examples or environments each root deploys to a cluster of its own, and
// one root's policies say nothing of another's namespace of the same name.
type workloadNamespace struct {
	Name string
	// Decl is the resource declaring the namespace, nil when not scanned.
	Decl *graph.Resource
	// First is the first workload running in it.
	First *graph.Resource
	// Workloads lists every workload of the namespace.
	Workloads []*graph.Resource
	// Unit is the deployment unit of the workloads ("" outside every root
	// module); units holds every namespace-wide object's (nsUnits).
	Unit  string
	units map[*graph.Resource]string
}

// Sees reports whether r is deployed beside the namespace's workloads:
// not in another alternative rendering (see graph.Resource.Coexists) nor
// in another root module (see sameUnit).
func (w *workloadNamespace) Sees(r *graph.Resource) bool {
	return r.Coexists(w.First) && sameUnit(w.Unit, w.units[r])
}

// Owns reports whether r belongs to the namespace's own unit rather than
// lying outside every root module, where several units may share it.
func (w *workloadNamespace) Owns(r *graph.Resource) bool { return w.units[r] == w.Unit }

// Anchor is the resource a namespace-wide verdict is reported on.
func (w workloadNamespace) Anchor() *graph.Resource {
	if w.Decl != nil {
		return w.Decl
	}
	return w.First
}

type workloadNamespacesKey struct{}

// workloadNamespaces groups workloads by namespace, in order of first
// appearance. Workloads whose namespace is unknown are returned apart.
func workloadNamespaces(g *graph.Graph) (out []*workloadNamespace, unknownNS []*graph.Resource) {
	type result struct {
		out       []*workloadNamespace
		unknownNS []*graph.Resource
	}
	r := graph.Memo(g, workloadNamespacesKey{}, func() result {
		var r result
		r.out, r.unknownNS = groupWorkloads(g)
		return r
	})
	return r.out, r.unknownNS
}

func groupWorkloads(g *graph.Graph) (out []*workloadNamespace, unknownNS []*graph.Resource) {
	idx := indexNamespaces(g)
	units := nsUnits(g)
	byName := map[string]*workloadNamespace{}
	for _, ps := range workloads(g) {
		ns, ok := namespaceOf(ps.Res)
		if !ok {
			unknownNS = append(unknownNS, ps.Res)
			continue
		}
		alt := ps.Res.Alternative
		unit := units[ps.Res]
		key := ns + "\x00" + alt.Group + "\x00" + alt.Name + "\x00" + unit
		w := byName[key]
		if w == nil {
			w = &workloadNamespace{Name: ns, First: ps.Res, Unit: unit, units: units}
			// The unit's own declaration before one outside every root.
			for _, d := range idx.byName[ns] {
				if w.Sees(d) && (w.Decl == nil || !w.Owns(w.Decl) && w.Owns(d)) {
					w.Decl = d
				}
			}
			byName[key] = w
			out = append(out, w)
		}
		w.Workloads = append(w.Workloads, ps.Res)
	}
	return out, unknownNS
}

// objectsByNamespace indexes objects of the given types by namespace.
// Objects whose namespace is unknown are returned apart: they may belong to
// any namespace.
func objectsByNamespace(g *graph.Graph, types ...string) (by map[string][]*graph.Resource, unknownNS []*graph.Resource) {
	by = map[string][]*graph.Resource{}
	for _, r := range g.OfType(types...) {
		ns, ok := namespaceOf(r)
		if !ok {
			unknownNS = append(unknownNS, r)
			continue
		}
		by[ns] = append(by[ns], r)
	}
	return by, unknownNS
}

// labelValue reads metadata.labels[key] of a resource.
func labelValue(r *graph.Resource, key string) *graph.Value {
	labels := r.Get("metadata.labels")
	if labels.IsUnknown() {
		return labels
	}
	if labels == nil || labels.Kind != graph.Map {
		return nil
	}
	return labels.Map.Get(key)
}

// annotationValue reads metadata.annotations[key] of a resource.
func annotationValue(r *graph.Resource, key string) *graph.Value {
	ann := r.Get("metadata.annotations")
	if ann.IsUnknown() {
		return ann
	}
	if ann == nil || ann.Kind != graph.Map {
		return nil
	}
	return ann.Map.Get(key)
}

// kindName is "Deployment web" for messages.
func kindName(r *graph.Resource) string {
	return strings.TrimPrefix(r.Type, "k8s:") + " " + r.Name
}
