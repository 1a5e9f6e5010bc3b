// Package k8s reads Kubernetes manifests — multi-document YAML or JSON,
// `kind: List`, `kubectl get -o yaml` and `helm template` output — into
// the resource graph, one resource of type "k8s:<Kind>" per object, with
// the line of every value.
package k8s

import (
	"strings"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/yamlpos"
)

// Origin is the front-end name recorded on resources.
const Origin = "kubernetes"

// DefaultNamespace is where namespaced objects without a namespace land
// unless the caller names another, as kubectl apply would put them.
const DefaultNamespace = "default"

// ClusterScoped reports whether objects of a kind have no namespace.
func ClusterScoped(kind string) bool { return clusterScoped[kind] }

// clusterScoped kinds have no namespace.
var clusterScoped = map[string]bool{"Namespace": true, "ClusterRole": true, "ClusterRoleBinding": true,
	"CustomResourceDefinition": true, "PersistentVolume": true, "StorageClass": true, "Node": true,
	"PriorityClass": true, "ValidatingWebhookConfiguration": true, "MutatingWebhookConfiguration": true,
	"APIService": true, "IngressClass": true, "RuntimeClass": true, "NodePool": true, "EC2NodeClass": true}

// Object is one parsed manifest.
type Object struct {
	Value *graph.Value
	// Source is the chart template named by a "# Source:" comment of
	// helm template output, if any.
	Source string
	// IntroducedBy, when set, is what produced the object in place of
	// Source: a renderer's chain (the Helm release and its template, the
	// kustomization built), outermost first.
	IntroducedBy []graph.ModuleCall
	// Alternative is the rendering alternative that produced the object
	// (graph.Resource.Alternative).
	Alternative graph.Alternative
}

// Parse splits a file into Kubernetes objects. Documents that are not
// Kubernetes objects (no apiVersion and kind) are skipped. A syntax error
// stops the file with a positioned diagnostic, keeping the objects read
// before it; a document that cannot be used (duplicate key, alias bomb) is
// skipped with a diagnostic and the rest of the file is still read.
func Parse(data []byte, file string) ([]Object, diag.List) {
	docs, diags := yamlpos.Decode(data, file, yamlpos.Options{})
	var out []Object
	for _, d := range docs {
		out = append(out, Objects(d.Value, d.Comments)...)
	}
	return out, diags
}

// Objects returns the Kubernetes objects in one decoded document (several
// for a List), attributing them to the chart template named by a helm
// "# Source:" line among comments.
func Objects(doc *graph.Value, comments string) []Object {
	source := helmSource(comments)
	var out []Object
	for _, o := range flatten(doc) {
		out = append(out, Object{Value: o, Source: source})
	}
	return out
}

// IsObject reports whether a value is a Kubernetes object.
func IsObject(v *graph.Value) bool {
	return v != nil && v.Kind == graph.Map && str(v.Map.Get("apiVersion")) != "" && str(v.Map.Get("kind")) != ""
}

func flatten(v *graph.Value) []*graph.Value {
	if !IsObject(v) {
		return nil
	}
	if k := str(v.Map.Get("kind")); strings.HasSuffix(k, "List") && v.Map.Get("items") != nil {
		var out []*graph.Value
		for _, it := range v.Map.Get("items").Items() {
			out = append(out, flatten(it)...)
		}
		return out
	}
	return []*graph.Value{v}
}

func helmSource(comment string) string {
	for _, ln := range strings.Split(comment, "\n") {
		ln = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(ln), "#"))
		if strings.HasPrefix(ln, "Source:") {
			return strings.TrimSpace(strings.TrimPrefix(ln, "Source:"))
		}
	}
	return ""
}

func str(v *graph.Value) string {
	if v == nil || v.Kind != graph.String {
		return ""
	}
	return v.Str
}

// Load adds the objects to g. Namespaced objects that name no namespace
// are placed in defaultNS ("" means DefaultNamespace).
func Load(g *graph.Graph, objs []Object, file, defaultNS string) {
	for _, o := range objs {
		v := o.Value
		kind := str(v.Map.Get("kind"))
		name := str(v.Get("metadata", "name"))
		ns := SetNamespace(v, defaultNS)
		addr := kind + "/" + name
		if ns != "" {
			addr = kind + "/" + ns + "/" + name
		}
		r := &graph.Resource{Type: "k8s:" + kind, Name: name, Address: addr, Attrs: v, Range: v.Range, Origin: Origin,
			Alternative: o.Alternative}
		if len(o.IntroducedBy) > 0 {
			r.Module = o.IntroducedBy
		} else if o.Source != "" {
			r.Module = []graph.ModuleCall{{Name: "helm:" + o.Source}}
		}
		g.Add(r)
	}
}

// SetNamespace writes defaultNS into a namespaced object that names no
// namespace, as kubectl apply would place it, so rules need not guess. It
// returns the object's namespace ("" for cluster-scoped kinds; unknown
// namespaces are left alone and also give "").
func SetNamespace(obj *graph.Value, defaultNS string) string {
	if defaultNS == "" {
		defaultNS = DefaultNamespace
	}
	if clusterScoped[str(obj.Get("kind"))] {
		return ""
	}
	md := obj.Get("metadata")
	cur := md.Get("namespace")
	switch {
	case cur.IsUnknown() || md.IsUnknown():
		return ""
	case cur != nil && cur.Kind == graph.String && cur.Str != "":
		return cur.Str
	}
	if md == nil || md.Kind != graph.Map {
		md = &graph.Value{Kind: graph.Map, Map: graph.NewFields(0), Range: obj.Range}
		obj.Map.Set("metadata", md)
	}
	md.Map.Set("namespace", &graph.Value{Kind: graph.String, Str: defaultNS, Range: md.Range})
	return defaultNS
}
