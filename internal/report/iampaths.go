package report

import (
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/iam/escalate"
	"github.com/eksguard/eksguard/internal/rule"
)

// PathView is one IAM privilege-escalation path as the report carries it:
// the principal it starts from and each hop to administrator.
type PathView struct {
	From    string    `json:"from"`
	Certain bool      `json:"certain"`
	Hops    []HopView `json:"hops"`
}

// HopView is one hop of a path; Grants are the file:line of the
// statements that grant it (a policy name when it has no position).
type HopView struct {
	From    string   `json:"from"`
	To      string   `json:"to"`
	Method  string   `json:"method"`
	Certain bool     `json:"certain"`
	Grants  []string `json:"grants"`
}

// IAMPathsOf turns an escalation analysis into the report's paths, in the
// analysis's (deterministic) order; nil when there is none.
func IAMPathsOf(g *graph.Graph, a *escalate.Analysis) []PathView {
	if a == nil {
		return nil
	}
	var out []PathView
	for _, p := range a.Paths {
		pv := PathView{From: p.From.Label, Certain: p.Certain == rule.True, Hops: []HopView{}}
		for _, h := range p.Hops {
			hv := HopView{From: h.From.Label, To: h.To.Label, Method: h.Method, Certain: h.Certain == rule.True,
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
