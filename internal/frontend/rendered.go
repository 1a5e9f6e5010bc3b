package frontend

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/frontend/helm"
	"github.com/eksguard/eksguard/internal/frontend/k8s"
	"github.com/eksguard/eksguard/internal/frontend/kustomize"
	"github.com/eksguard/eksguard/internal/frontend/tfhcl/modfetch"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/yamlpos"
)

// Kinds of the inputs a renderer reads.
const (
	KindHelmChart     Kind = "helm-chart"
	KindKustomization Kind = "kustomization"
)

// Rendered is one YAML document a renderer (a Helm chart, a kustomization)
// produced from the sources under the scan, with its origin: the
// Kubernetes front-end reads it as a manifest but places its values at
// the source file and line that produced them, and records IntroducedBy
// as the chain that produced each object.
type Rendered struct {
	YAML []byte
	// File and Line are where the document comes from; Lines, when set,
	// hold the File line of each line of YAML (0: use Line).
	File  string
	Line  int
	Lines []int
	// Files, when set, hold the file of each line of YAML where it is not
	// File (a kustomize patch that wrote the field).
	Files []string
	// From places values that were copied from elsewhere (a Helm values
	// file line), by line of YAML.
	From map[int]graph.Range
	// IntroducedBy is what produced it, outermost first (a Helm release
	// and its template; a kustomization).
	IntroducedBy []graph.ModuleCall
	// Alternative is set when the document is one of several alternative
	// renderings (a release among a chart's values files, an overlay
	// among its siblings).
	Alternative graph.Alternative
}

// HelmOptions say how charts are rendered (--helm-values, --helm-set,
// --kube-version).
type HelmOptions = helm.Options

// loadRendered reads rendered documents into the graph as Kubernetes
// objects placed at their origin.
func (res *Result) loadRendered(docs []Rendered) {
	for _, doc := range docs {
		ds, diags := yamlpos.Decode(doc.YAML, doc.File, yamlpos.Options{})
		for _, d := range diags {
			d.File, d.Line = doc.origin(d.Line)
			d.Column = 0
			res.Diags = append(res.Diags, d)
		}
		for i, d := range ds {
			relocate(d.Value, &doc)
			objs := k8s.Objects(d.Value, "")
			for j := range objs {
				objs[j].IntroducedBy = doc.IntroducedBy
				objs[j].Alternative = doc.Alternative
			}
			res.keep(doc.File, KindKubernetes, i, d.Value)
			before := res.Graph.Len()
			k8s.Load(res.Graph, objs, doc.File, res.defaultNS)
			if len(doc.From) > 0 {
				for _, r := range res.Graph.Resources()[before:] {
					r.ValueOrigins = true
				}
			}
		}
	}
}

// origin is the source file and line of line n (1-based) of the document.
func (r *Rendered) origin(n int) (string, int) {
	if n >= 1 && n <= len(r.Lines) && r.Lines[n-1] > 0 {
		if n <= len(r.Files) && r.Files[n-1] != "" {
			return r.Files[n-1], r.Lines[n-1]
		}
		return r.File, r.Lines[n-1]
	}
	if r.Line > 0 {
		return r.File, r.Line
	}
	return r.File, 1
}

// relocate moves every range of v from the rendered document to its
// origin. Columns are those of the rendered text, not of the source: they
// are dropped.
func relocate(v *graph.Value, r *Rendered) {
	if v == nil {
		return
	}
	end := v.Range.EndLine
	if from, ok := r.From[int(v.Range.Line)]; ok && v.Kind != graph.Map && v.Kind != graph.List {
		v.SetFrom(from)
	}
	f, l := r.origin(int(v.Range.Line))
	// Chart and kustomization files are read whole, with no bound on
	// their size: their lines are clamped.
	v.Range = graph.Range{File: f, Line: graph.Clamp32(l)}
	if end > 0 {
		if ef, e := r.origin(int(end)); ef == f && e >= l {
			v.Range.EndLine = graph.Clamp32(e)
		}
	}
	for _, it := range v.List {
		relocate(it, r)
	}
	for _, it := range v.Map.All() {
		relocate(it, r)
	}
}

// overlayAlternatives groups sibling overlays: kustomizations in one
// directory (overlays/staging, overlays/prod) that build on a common base
// or component are the same application rendered for different targets,
// deployed instead of each other.
// uses holds the local directories each kustomization builds on
// (kustomize.LocalDirs).
func overlayAlternatives(tops []string, uses map[string][]string) map[string]graph.Alternative {
	byParent := map[string][]string{}
	for _, k := range tops {
		p := filepath.Dir(filepath.Clean(k))
		byParent[p] = append(byParent[p], k)
	}
	out := map[string]graph.Alternative{}
	for parent, ks := range byParent {
		if len(ks) < 2 {
			continue
		}
		usedBy := map[string][]string{}
		for _, k := range ks {
			for _, d := range uses[k] {
				usedBy[d] = append(usedBy[d], k)
			}
		}
		for _, users := range usedBy {
			if len(users) < 2 {
				continue
			}
			for _, k := range users {
				out[k] = graph.Alternative{Group: "kustomize overlays " + filepath.ToSlash(parent), Name: filepath.ToSlash(filepath.Clean(k))}
			}
		}
	}
	return out
}

// resolvedPath is the absolute path of name with symbolic links
// resolved, as the kustomize build records the files it read.
func resolvedPath(name string) string {
	abs, err := filepath.Abs(name)
	if err != nil {
		return name
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		return r
	}
	return abs
}

// isKustomization tells whether dir holds a kustomization file.
func isKustomization(dir string) bool {
	for _, n := range []string{"kustomization.yaml", "kustomization.yml", "Kustomization"} {
		if fi, err := os.Stat(filepath.Join(dir, n)); err == nil && fi.Mode().IsRegular() {
			return true
		}
	}
	return false
}

// helmDeps says how chart dependencies that charts/ does not hold are
// found: file:// directories inside the scanned paths (anywhere with
// --follow-outside), and with --download-modules archives from their
// repositories, cached under the Terraform module cache with the module
// fetcher's timeouts.
func (res *Result) helmDeps(opts Options) {
	res.helm.Deps.Local = func(dir string) bool { return res.roots.follow || res.roots.inside(dir) }
	if !opts.DownloadModules {
		return
	}
	if res.fetcher == nil {
		res.fetcher = &modfetch.Fetcher{CacheDir: opts.ModuleCache}
	}
	f := &helm.Fetcher{Client: res.fetcher.HTTPClient()}
	if root, err := res.fetcher.CacheRoot(); err == nil {
		// Without a cache directory every download fails, with a reason.
		f.CacheDir = filepath.Join(root, "helm")
	}
	res.helm.Deps.Fetch = f
}

// renderChart renders the Helm chart in dir into the graph; it returns
// the directories of the file:// dependencies that gave documents (one
// that every release disables gives none).
func (res *Result) renderChart(dir string) []string {
	name := filepath.ToSlash(filepath.Clean(dir))
	ch, diags := helm.Render(dir, res.helm)
	res.Diags = append(res.Diags, diags...)
	if ch == nil {
		res.Files = append(res.Files, File{Path: name, Kind: KindHelmChart})
		return nil
	}
	if res.charts == nil {
		res.charts = map[string]string{}
	}
	res.charts[ch.Name] = name
	res.Files = append(res.Files, File{Path: name, Kind: KindHelmChart})
	docs := make([]Rendered, 0, len(ch.Docs))
	for _, d := range ch.Docs {
		rel := graph.ModuleCall{Name: "helm release " + d.Release, Range: graph.Range{File: name + "/Chart.yaml", Line: 1}}
		if d.Values != "" {
			rel.Name += " (" + d.Values + ")"
			rel.Range = graph.Range{File: name + "/" + d.Values, Line: 1}
		}
		var from map[int]graph.Range
		if len(d.From) > 0 {
			from = make(map[int]graph.Range, len(d.From))
			for l, p := range d.From {
				from[l] = graph.Range{File: p.File, Line: graph.Clamp32(p.Line)}
			}
		}
		by := []graph.ModuleCall{rel}
		if dep := d.Dependency; dep != nil {
			by = append(by, graph.ModuleCall{Name: dep.String(), Range: graph.Range{File: dep.File, Line: graph.Clamp32(dep.Line)}})
		}
		doc := Rendered{YAML: d.YAML, File: d.File, Line: d.Line, Lines: d.Lines, From: from,
			IntroducedBy: append(by, graph.ModuleCall{Name: "helm:" + d.Template})}
		if len(ch.Releases) > 1 {
			// Each values file is a deployment of its own: its objects
			// never run beside another release's.
			doc.Alternative = graph.Alternative{Group: "helm chart " + name, Name: d.Release}
		}
		docs = append(docs, doc)
	}
	res.loadRendered(docs)
	var local []string
	seen := map[string]bool{}
	for _, d := range ch.Docs {
		if dep := d.Dependency; dep != nil && dep.Dir != "" && !seen[dep.Dir] {
			seen[dep.Dir] = true
			local = append(local, dep.Dir)
		}
	}
	return local
}

// renderCharts renders the charts a walk met. A chart that another of
// them renders as a file:// dependency is rendered through it, not also
// on its own (its objects would count twice), and a notice says so; it is
// rendered on its own when no chart rendered it (none read it, or each
// disabled it), so that it is checked.
func (res *Result) renderCharts(charts []string) {
	parents := map[string][]string{}
	for _, c := range charts {
		for _, d := range helm.LocalDeps(c) {
			if d != filepath.Clean(c) {
				parents[d] = append(parents[d], filepath.ToSlash(filepath.Clean(c)))
			}
		}
	}
	readBy := map[string][]string{}
	record := func(c string, local []string) {
		for _, d := range local {
			readBy[d] = append(readBy[d], filepath.ToSlash(filepath.Clean(c)))
		}
	}
	var deps []string
	for _, c := range charts {
		if len(parents[filepath.Clean(c)]) > 0 {
			deps = append(deps, c)
			continue
		}
		record(c, res.renderChart(c))
	}
	for _, c := range deps {
		name := filepath.ToSlash(filepath.Clean(c))
		by := readBy[name]
		if len(by) == 0 {
			record(c, res.renderChart(c))
			continue
		}
		res.Files = append(res.Files, File{Path: name, Kind: KindHelmChart})
		res.Diags = append(res.Diags, diag.Diagnostic{Severity: diag.Notice, File: name + "/Chart.yaml",
			Summary: "Helm chart " + name + " is rendered as a dependency of " + strings.Join(by, ", ") + ", not on its own",
			Detail:  "a chart another chart of the scan reads through file:// is read once, through it, so its objects are not counted twice"})
	}
}

// buildKustomization builds the kustomization in dir into the graph; it
// reports whether the build gave objects (the directory's own files are
// then its inputs, not manifests of their own).
//
// alt is set when the kustomization is one of sibling overlays of a base.
func (res *Result) buildKustomization(root, dir string, alt graph.Alternative) bool {
	// Files outside the scanned path are never read: an overlay's base
	// must lie under it too.
	opts := res.kustomize
	opts.Read = func(f string) {
		if res.kustRead == nil {
			res.kustRead = map[string]bool{}
		}
		res.kustRead[f] = true
	}
	rs, diags := kustomize.BuildUnder(root, dir, opts)
	res.Diags = append(res.Diags, diags...)
	if len(rs) == 0 {
		return false
	}
	res.Files = append(res.Files, File{Path: filepath.ToSlash(filepath.Clean(dir)), Kind: KindKustomization})
	docs := make([]Rendered, 0, len(rs))
	for _, r := range rs {
		docs = append(docs, Rendered{YAML: r.YAML, File: r.File, Line: r.Line, Lines: r.Lines, Files: r.Files,
			IntroducedBy: []graph.ModuleCall{{Name: "kustomize " + r.Overlay, Range: graph.Range{File: r.Overlay, Line: 1}}},
			Alternative:  alt})
	}
	res.loadRendered(docs)
	return true
}

// renderedFile is a helm template output file, read after the charts of
// the scan are rendered: when one of them is its chart, the chart wins and
// the file is not read, or every object would be counted twice.
type renderedFile struct {
	name   string
	objs   []k8s.Object
	docs   []*graph.Value
	charts []string
}

// sourceCharts are the charts the "# Source:" comments of objects name.
func sourceCharts(objs []k8s.Object) []string {
	var out []string
	seen := map[string]bool{}
	for _, o := range objs {
		if c := chartOf(o.Source); c != "" && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

// chartOf is the chart a "# Source:" path names (web/templates/x.yaml: web).
func chartOf(source string) string {
	c, _, _ := strings.Cut(source, "/")
	return c
}

// loadPendingRendered reads the helm template output files held back
// until every chart was rendered, but not those of a chart rendered from
// source, for which a notice says so.
func (res *Result) loadPendingRendered() {
	for _, p := range res.pending {
		var from []string
		for _, c := range p.charts {
			if dir, ok := res.charts[c]; ok {
				from = append(from, dir)
			}
		}
		if len(from) > 0 {
			res.Diags = append(res.Diags, diag.Diagnostic{Severity: diag.Notice, File: p.name,
				Summary: "helm template output not read: the scan renders its chart from source (" + strings.Join(from, ", ") + ")",
				Detail:  "the chart wins, so its objects are not counted twice; scan the file on its own to check it"})
			continue
		}
		res.Files = append(res.Files, File{Path: p.name, Kind: KindKubernetes})
		for i, d := range p.docs {
			res.keep(p.name, KindKubernetes, i, d)
		}
		k8s.Load(res.Graph, p.objs, p.name, res.defaultNS)
	}
	res.pending = nil
}
