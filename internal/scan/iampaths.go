package scan

import (
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/iam/escalate"
	"github.com/eksguard/eksguard/internal/report"
	"github.com/eksguard/eksguard/internal/tri"
)

// iamPaths turns an escalation analysis into the report's paths, in the
// analysis's (deterministic) order, each hop with the statements that
// grant it cited here, while the graph is at hand; nil when there is none.
func iamPaths(g *graph.Graph, a *escalate.Analysis) []report.PathView {
	if a == nil {
		return nil
	}
	var out []report.PathView
	for _, p := range a.Paths {
		pv := report.PathView{From: p.From.Label, Certain: p.Certain == tri.True, Hops: []report.HopView{}}
		for _, h := range p.Hops {
			hv := report.HopView{From: h.From.Label, To: h.To.Label, Method: h.Method, Certain: h.Certain == tri.True,
				Grants: []string{}}
			for _, c := range escalate.Cites(g, h) {
				hv.Grants = append(hv.Grants, c.At())
			}
			pv.Hops = append(pv.Hops, hv)
		}
		out = append(out, pv)
	}
	return out
}
