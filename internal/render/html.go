package render

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/eksguard/eksguard/internal/finding"
	"github.com/eksguard/eksguard/internal/report"
)

func init() { Writers["html"] = WriteHTML }

//go:embed html.tmpl
var htmlSource string

// htmlTmpl is parsed when an HTML report is first written, not when the
// program starts: most runs write none.
var htmlTmpl = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("report").Funcs(template.FuncMap{
		"join": strings.Join,
	}).Parse(htmlSource))
})

var sevOrder = []string{"critical", "high", "medium", "low"}

func sevRank(s string) int {
	for i, n := range sevOrder {
		if n == s {
			return i
		}
	}
	return len(sevOrder)
}

// htmlBar is one bar of a chart, its geometry computed here so the
// template only prints numbers.
type htmlBar struct {
	Label string
	Count int
	Y     int
	Width int
	Class string
}

type htmlChart struct {
	Title  string
	Height int
	Bars   []htmlBar
}

type htmlRow struct {
	finding.Finding
	Rank     int
	Location string
	Imported bool
}

type htmlNode struct {
	X, Y  int
	Label string
	Short string
	Admin bool
}

type htmlEdge struct {
	X1, X2, Y, LX int
	Method        string
	Dashed        bool
	Grants        string
}

type htmlGraph struct {
	Width, Height int
	Certain       bool
	From          string
	Nodes         []htmlNode
	Edges         []htmlEdge
}

type htmlData struct {
	R       *report.Report
	Verdict string
	// Incomplete is the headline of an incomplete scan, empty when complete.
	Incomplete string
	Passed     bool
	Charts     []htmlChart
	Rows       []htmlRow
	Unknowns   []htmlRow
	Suppressed []htmlRow
	Graphs     []htmlGraph
	Severities []string
	// Disabled lists the rules that did not run, one sentence each.
	Disabled []string
}

// WriteHTML writes one self-contained HTML page: no network access, all
// text escaped by html/template, and the same bytes for the same report.
func WriteHTML(w io.Writer, r *report.Report, _ Options) error {
	d := htmlData{R: r, Passed: r.Gate.Passed, Severities: sevOrder}
	d.Verdict = "FAILED"
	switch {
	case r.Gate.NotEvaluated != "":
		d.Verdict = "NOT EVALUATED"
	case r.Gate.Passed:
		d.Verdict = "PASSED"
	}
	if n := len(r.Summary.Incomplete); n > 0 {
		d.Incomplete = incompleteHeadline(r.Summary.Incomplete)
	}
	d.Rows = htmlRows(r.Findings)
	d.Unknowns = htmlRows(r.Unknowns)
	d.Suppressed = htmlRows(r.Suppressed)
	named, notSel := disabledParts(r)
	for _, x := range named {
		d.Disabled = append(d.Disabled, disabledLine(x))
	}
	if len(notSel) > 0 {
		d.Disabled = append(d.Disabled, notSelectedLine(notSel))
	}

	bySev := map[string]int{}
	bySvc := map[string]int{}
	byRule := map[string]int{}
	for _, f := range r.Findings {
		bySev[f.SeverityName]++
		bySvc[f.Service]++
		byRule[f.RuleID]++
	}
	var sev []htmlBar
	for _, s := range sevOrder {
		sev = append(sev, htmlBar{Label: s, Count: bySev[s], Class: "sev-" + s})
	}
	d.Charts = []htmlChart{chart("Findings by severity", sev), chart("Findings by service", ranked(bySvc)),
		chart("Findings by rule", ranked(byRule))}
	for _, p := range r.IAMPaths {
		d.Graphs = append(d.Graphs, pathGraph(p))
	}
	return htmlTmpl().Execute(w, d)
}

func htmlRows(fs []finding.Finding) []htmlRow {
	out := make([]htmlRow, 0, len(fs))
	for _, f := range fs {
		out = append(out, htmlRow{Finding: f, Rank: sevRank(f.SeverityName), Location: f.Location(),
			Imported: f.Service == "imported"})
	}
	return out
}

// ranked turns counts into bars, most first, then by name.
func ranked(m map[string]int) []htmlBar {
	var out []htmlBar
	for k, n := range m {
		out = append(out, htmlBar{Label: k, Count: n, Class: "bar"})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Label < out[j].Label
	})
	return out
}

const barRow, barMax = 22, 360

func chart(title string, bars []htmlBar) htmlChart {
	max := 0
	for _, b := range bars {
		if b.Count > max {
			max = b.Count
		}
	}
	for i := range bars {
		bars[i].Y = i * barRow
		if max > 0 {
			bars[i].Width = bars[i].Count * barMax / max
		}
		if bars[i].Count > 0 && bars[i].Width < 2 {
			bars[i].Width = 2
		}
	}
	return htmlChart{Title: title, Height: len(bars)*barRow + 4, Bars: bars}
}

const nodeW, nodeH, hopGap = 200, 44, 190

// pathGraph lays a path out left to right: one node per principal, one
// arrow per hop, dashed when the hop is only possible.
func pathGraph(p report.PathView) htmlGraph {
	g := htmlGraph{Certain: p.Certain, From: p.From, Height: nodeH + 40}
	labels := []string{p.From}
	for _, h := range p.Hops {
		labels = append(labels, h.To)
	}
	for i, l := range labels {
		g.Nodes = append(g.Nodes, htmlNode{X: 10 + i*(nodeW+hopGap), Y: 30, Label: l, Short: shorten(l, 28),
			Admin: i == len(labels)-1})
	}
	for i, h := range p.Hops {
		x1 := 10 + i*(nodeW+hopGap) + nodeW
		g.Edges = append(g.Edges, htmlEdge{X1: x1, X2: x1 + hopGap - 6, Y: 30 + nodeH/2, LX: x1 + hopGap/2,
			Method: shorten(h.Method, 30), Dashed: !h.Certain, Grants: fmt.Sprintf("%s: %s", h.Method, strings.Join(h.Grants, ", "))})
	}
	g.Width = 20 + len(labels)*nodeW + (len(labels)-1)*hopGap
	return g
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
