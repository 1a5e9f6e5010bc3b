// Package k8s reads Kubernetes manifests — multi-document YAML or JSON,
// `kind: List`, `kubectl get -o yaml` and `helm template` output — into
// the resource graph, one resource of type "k8s:<Kind>" per object, with
// the line of every value.
package k8s

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/graph"
	"go.yaml.in/yaml/v3"
)

// Origin is the front-end name recorded on resources.
const Origin = "kubernetes"

// DefaultNamespace is where namespaced objects without a namespace land
// unless the caller names another, as kubectl apply would put them.
const DefaultNamespace = "default"

// maxNodes bounds the values one file may expand to, so alias bombs
// ("billion laughs") stop with an error instead of eating memory.
const maxNodes = 2_000_000

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
}

// Parse splits a file into Kubernetes objects. Documents that are not
// Kubernetes objects (no apiVersion and kind) are skipped; a syntax error
// stops the file with a positioned diagnostic, keeping the objects read
// before it.
func Parse(data []byte, file string) ([]Object, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	budget := maxNodes
	var out []Object
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, yamlDiag(err, file)
		}
		if len(doc.Content) == 0 {
			continue
		}
		v, err := convert(doc.Content[0], file, &budget, 0)
		if err != nil {
			return out, err
		}
		// helm template writes "# Source: chart/templates/x.yaml" above
		// each document; YAML attaches it to the first key.
		comments := doc.HeadComment + "\n" + doc.Content[0].HeadComment
		if c := doc.Content[0]; c.Kind == yaml.MappingNode && len(c.Content) > 0 {
			comments += "\n" + c.Content[0].HeadComment
		}
		source := helmSource(comments)
		for _, o := range flatten(v) {
			out = append(out, Object{Value: o, Source: source})
		}
	}
}

// IsObject reports whether a value is a Kubernetes object.
func IsObject(v *graph.Value) bool {
	return v != nil && v.Kind == graph.Map && str(v.Map["apiVersion"]) != "" && str(v.Map["kind"]) != ""
}

func flatten(v *graph.Value) []*graph.Value {
	if !IsObject(v) {
		return nil
	}
	if k := str(v.Map["kind"]); strings.HasSuffix(k, "List") && v.Map["items"] != nil {
		var out []*graph.Value
		for _, it := range v.Map["items"].Items() {
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

func yamlDiag(err error, file string) error {
	msg := err.Error()
	line := 0
	// yaml.v3 writes "yaml: line N: ..." for syntax errors.
	if i := strings.Index(msg, "line "); i >= 0 {
		rest := msg[i+5:]
		if j := strings.IndexByte(rest, ':'); j > 0 {
			line, _ = strconv.Atoi(rest[:j])
		}
	}
	return diag.Diagnostic{Severity: diag.Error, File: file, Line: line, Summary: "invalid YAML", Detail: strings.TrimPrefix(msg, "yaml: ")}
}

func convert(n *yaml.Node, file string, budget *int, depth int) (*graph.Value, error) {
	*budget--
	if *budget < 0 {
		return nil, diag.Diagnostic{Severity: diag.Error, File: file, Line: n.Line, Summary: "YAML too large",
			Detail: fmt.Sprintf("more than %d values (alias expansion?)", maxNodes)}
	}
	if depth > 256 {
		return nil, diag.Diagnostic{Severity: diag.Error, File: file, Line: n.Line, Summary: "YAML nested too deeply"}
	}
	rng := graph.Range{File: file, Line: n.Line, Column: n.Column}
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias == nil {
			return &graph.Value{Kind: graph.Null, Range: rng}, nil
		}
		v, err := convert(n.Alias, file, budget, depth+1)
		if v != nil {
			v.Range = rng
		}
		return v, err
	case yaml.MappingNode:
		m := &graph.Value{Kind: graph.Map, Map: map[string]*graph.Value{}, Range: rng}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if k.Value == "<<" && (val.Kind == yaml.AliasNode || val.Kind == yaml.MappingNode) {
				merged, err := convert(val, file, budget, depth+1)
				if err != nil {
					return nil, err
				}
				if merged.Kind == graph.Map {
					for mk, mv := range merged.Map {
						if _, ok := m.Map[mk]; !ok {
							m.Map[mk] = mv
						}
					}
				}
				continue
			}
			cv, err := convert(val, file, budget, depth+1)
			if err != nil {
				return nil, err
			}
			// A value is located at its key's line, where a reader looks.
			cv.Range.Line, cv.Range.Column = k.Line, k.Column
			m.Map[k.Value] = cv
		}
		return m, nil
	case yaml.SequenceNode:
		l := &graph.Value{Kind: graph.List, Range: rng}
		for _, c := range n.Content {
			cv, err := convert(c, file, budget, depth+1)
			if err != nil {
				return nil, err
			}
			l.List = append(l.List, cv)
		}
		return l, nil
	case yaml.ScalarNode:
		return scalar(n, rng), nil
	}
	return &graph.Value{Kind: graph.Null, Range: rng}, nil
}

func scalar(n *yaml.Node, rng graph.Range) *graph.Value {
	switch n.ShortTag() {
	case "!!null":
		return &graph.Value{Kind: graph.Null, Range: rng}
	case "!!bool":
		var b bool
		if n.Decode(&b) == nil {
			return &graph.Value{Kind: graph.Bool, Bool: b, Range: rng}
		}
	case "!!int", "!!float":
		var f float64
		if n.Decode(&f) == nil {
			return &graph.Value{Kind: graph.Number, Num: f, Range: rng}
		}
	}
	return &graph.Value{Kind: graph.String, Str: n.Value, Range: rng}
}

// Load adds the objects to g. Namespaced objects that name no namespace
// are placed in defaultNS ("" means DefaultNamespace).
func Load(g *graph.Graph, objs []Object, file, defaultNS string) {
	for _, o := range objs {
		v := o.Value
		kind := str(v.Map["kind"])
		name := str(v.Get("metadata", "name"))
		ns := SetNamespace(v, defaultNS)
		addr := kind + "/" + name
		if ns != "" {
			addr = kind + "/" + ns + "/" + name
		}
		r := &graph.Resource{Type: "k8s:" + kind, Name: name, Address: addr, Attrs: v, Range: v.Range, Origin: Origin}
		if o.Source != "" {
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
		md = &graph.Value{Kind: graph.Map, Map: map[string]*graph.Value{}, Range: obj.Range}
		obj.Map["metadata"] = md
	}
	md.Map["namespace"] = &graph.Value{Kind: graph.String, Str: defaultNS, Range: md.Range}
	return defaultNS
}
