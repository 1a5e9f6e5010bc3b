package frontend

import (
	"github.com/eksguard/eksguard/internal/frontend/k8s"
	"github.com/eksguard/eksguard/internal/graph"
)

// expandManifests adds a Kubernetes object node for each Terraform
// kubernetes_manifest resource whose manifest is known, so rules about
// Kubernetes objects see them the same way as objects read from YAML.
func expandManifests(g *graph.Graph, defaultNS string) {
	for _, r := range g.OfType("kubernetes_manifest") {
		m := r.Get("manifest")
		if m == nil || m.Kind != graph.Map {
			continue
		}
		kind := m.Get("kind")
		if kind == nil || kind.Kind != graph.String || kind.Str == "" {
			continue
		}
		name := ""
		if n := m.Get("metadata", "name"); n != nil && n.Kind == graph.String {
			name = n.Str
		}
		k8s.SetNamespace(m, defaultNS)
		rng := m.Range
		if rng.Line == 0 {
			rng = r.Range
		}
		g.Add(&graph.Resource{
			Type:       "k8s:" + kind.Str,
			Name:       name,
			Address:    r.Address + ".manifest",
			Module:     r.Module,
			Attrs:      m,
			Range:      rng,
			Origin:     r.Origin,
			ModulePath: r.ModulePath,
			RootModule: r.RootModule,
		})
	}
}
