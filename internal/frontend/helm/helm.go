// Package helm renders a Helm chart directory with Helm's own template
// engine, as helm template does offline, into YAML documents that each name
// the chart file and line they came from.
//
// Rendering reads only the chart's own files (symbolic links that leave the
// chart are not followed), never the network: lookup returns nothing and
// getHostByName an empty string, as in helm template, and values schemas
// are not validated, since a schema may reference remote documents. Each
// chart renders under a time bound and each release under an output
// bound; with Options.Isolate the chart renders in a child process of its
// own, which is killed at the time bound and stops itself at a memory
// bound (see ServeIfWorker).
package helm

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/loader/archive"
	chartv2 "helm.sh/helm/v4/pkg/chart/v2"
	loader "helm.sh/helm/v4/pkg/chart/v2/loader"
	"helm.sh/helm/v4/pkg/ignore"
	"helm.sh/helm/v4/pkg/strvals"

	"github.com/eksguard/eksguard/internal/diag"
)

// DefaultKubeVersion is the Kubernetes version charts see as
// .Capabilities.KubeVersion unless --kube-version names another: the
// newest version Amazon EKS offers in standard support (1.35, released on
// EKS in January 2026).
const DefaultKubeVersion = "1.35"

// Defaults bounding the rendering of one chart (time, memory) and of
// each of its releases (output).
const (
	DefaultTimeout   = 10 * time.Second
	DefaultMaxMemory = 1 << 30
	DefaultMaxOutput = 64 << 20
	// MaxChartSize bounds what the files of one chart may weigh together.
	MaxChartSize = 100 << 20
)

// Options say how a chart is rendered.
type Options struct {
	// ValueFiles (--helm-values) and Set (--helm-set, strvals syntax)
	// apply to every release, in this order, over the chart's values.
	ValueFiles []string
	Set        []string
	// KubeVersion is .Capabilities.KubeVersion ("" is DefaultKubeVersion).
	KubeVersion string
	// Namespace is .Release.Namespace ("" is "default").
	Namespace string
	// Timeout bounds the rendering of the whole chart, all its releases,
	// and MaxOutput what each release renders (zero: the defaults).
	Timeout   time.Duration
	MaxOutput int
	// Deps say how dependencies charts/ does not hold are found.
	Deps Deps
	// Isolate renders each chart in a child process, the running
	// executable started again as a renderer: the program must call
	// ServeIfWorker first thing in main (and in TestMain). The child is
	// killed at Timeout and stops itself past MaxMemory bytes (zero:
	// DefaultMaxMemory), so a template that loops or allocates without
	// bound costs nothing once stopped. Without Isolate the chart renders
	// in this process: a template past Timeout keeps its goroutine
	// running until the process exits, and memory is not bounded.
	Isolate   bool
	MaxMemory int64
}

// Doc is one rendered YAML document.
type Doc struct {
	YAML []byte
	// File is the chart file the document was rendered from (for a
	// dependency vendored as an archive, the archive); Line the line of
	// the document's start in it, Lines the file line of each line of
	// YAML (0 where unknown).
	File  string
	Line  int
	Lines []int
	// Template is the template's path as helm template's "# Source:"
	// comment names it (web/templates/deployment.yaml).
	Template string
	// Release names the release: the chart's name, with the suffix of a
	// values variant (web-prod for values-prod.yaml).
	Release string
	// Values is the variant values file of the release, if any.
	Values string
	// From places the lines of YAML (1-based, by line number) whose
	// value a template copied from a values file at that file's line.
	From map[int]ValuePos
	// Dependency is set for a document of a dependency that charts/ did
	// not hold (File and Line then point at its source).
	Dependency *DepSource
}

// Chart is what rendering a chart directory gave.
type Chart struct {
	Name string // from Chart.yaml
	Docs []Doc
	// Releases are the releases rendered, each with the values file that
	// set it apart ("" for the chart's values.yaml alone).
	Releases []Release
	// Deps are the dependencies read from outside charts/.
	Deps []*DepSource
}

// Release is one set of values rendered.
type Release struct {
	Name, Values string
}

// IsChart tells whether dir holds a Chart.yaml.
func IsChart(dir string) bool {
	fi, err := os.Stat(filepath.Join(dir, "Chart.yaml"))
	return err == nil && fi.Mode().IsRegular()
}

// Render renders the chart in dir: once with its values.yaml and once
// more per values variant (values-*.yaml, ci/*-values.yaml beside
// Chart.yaml). Problems come back as positioned diagnostics; a release
// that fails to render is left out, the others are still rendered.
func Render(dir string, opts Options) (*Chart, diag.List) {
	var diags diag.List
	name := filepath.ToSlash(dir)
	files, ds := readChart(dir)
	diags = append(diags, ds...)
	ch, err := loadFiles(files)
	if err != nil {
		return nil, append(diags, diag.Diagnostic{Severity: diag.Error, File: name + "/Chart.yaml", Summary: "cannot load Helm chart", Detail: err.Error()})
	}
	files, ch, deps := resolveDeps(dir, name, files, ch, opts.Deps)
	diags = append(diags, deps.diags...)
	diags = append(diags, deps.placeDiags(missingDeps(ch, name, deps.reasons), name)...)

	user, ds := userValues(opts)
	diags = append(diags, ds...)
	if ds.HasErrors() {
		return nil, diags
	}
	caps, err := capabilities(opts.KubeVersion)
	if err != nil {
		return nil, append(diags, diag.Diagnostic{Severity: diag.Error, File: name, Summary: "--kube-version: " + err.Error()})
	}
	out := &Chart{Name: ch.Name()}
	srcs := sources(ch, dir)
	r := newRenderer(dir, files, caps, opts)
	defer r.close()
	variants := append([]string{""}, variantFiles(dir)...)
	for _, v := range variants {
		rel := releaseName(ch.Name(), v)
		vals := map[string]any{}
		if v != "" {
			data, err := os.ReadFile(filepath.Join(dir, v))
			if err == nil {
				vals, err = loader.LoadValues(bytes.NewReader(data))
			}
			if err != nil {
				diags = append(diags, diag.Diagnostic{Severity: diag.Error, File: name + "/" + v, Summary: "cannot read Helm values", Detail: err.Error()})
				continue
			}
		}
		vals = loader.MergeMaps(vals, copyValues(user))
		if p := releaseSchemas(files, vals, caps); p.invalid != nil {
			diags = append(diags, renderError(name, v, rel, p.invalid))
			continue
		} else if p.unchecked != "" {
			diags = append(diags, diag.Diagnostic{Severity: diag.Notice, File: name + "/values.schema.json",
				Summary: "Helm release " + rel + ": values schema not checked", Detail: p.unchecked + " (eksguard reads nothing outside the chart)"})
		}
		docs, err := r.renderRelease(rel, vals)
		if err != nil {
			diags = append(diags, deps.placeDiags(diag.List{renderError(name, v, rel, err)}, name)...)
			continue
		}
		for i := range docs {
			docs[i].Release, docs[i].Values = rel, v
		}
		placeValues(docs, srcs, scopes(ch, dir, opts.Set, opts.ValueFiles, v))
		out.Docs = append(out.Docs, docs...)
		out.Releases = append(out.Releases, Release{Name: rel, Values: v})
	}
	deps.place(out.Docs, ch.Name())
	out.Deps = deps.sources()
	return out, diags
}

// releaseName is the release of a values variant: the chart's name, and
// the variant's own part of its file name (values-prod.yaml: prod;
// ci/lint-values.yaml: ci-lint).
func releaseName(chart, variant string) string {
	if variant == "" {
		return chart
	}
	base := strings.TrimSuffix(strings.TrimSuffix(path.Base(variant), ".yaml"), ".yml")
	if strings.HasPrefix(variant, "ci/") {
		return chart + "-ci-" + strings.TrimSuffix(base, "-values")
	}
	return chart + "-" + strings.TrimPrefix(base, "values-")
}

// variantFiles are the values variants beside Chart.yaml, as
// slash-separated paths under dir, sorted.
func variantFiles(dir string) []string {
	var out []string
	add := func(sub string, ok func(string) bool) {
		es, err := os.ReadDir(filepath.Join(dir, sub))
		if err != nil {
			return
		}
		for _, e := range es {
			if e.Type().IsRegular() && ok(e.Name()) {
				out = append(out, path.Join(sub, e.Name()))
			}
		}
	}
	yamlName := func(n string) bool { return strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".yml") }
	add(".", func(n string) bool { return strings.HasPrefix(n, "values-") && yamlName(n) })
	add("ci", func(n string) bool {
		return strings.HasSuffix(n, "-values.yaml") || strings.HasSuffix(n, "-values.yml")
	})
	sort.Strings(out)
	return out
}

// userValues are --helm-values then --helm-set, merged.
func userValues(opts Options) (map[string]any, diag.List) {
	var diags diag.List
	vals := map[string]any{}
	for _, f := range opts.ValueFiles {
		data, err := os.ReadFile(f)
		var m map[string]any
		if err == nil {
			m, err = loader.LoadValues(bytes.NewReader(data))
		}
		if err != nil {
			diags = append(diags, diag.Diagnostic{Severity: diag.Error, File: filepath.ToSlash(f), Summary: "--helm-values: cannot read Helm values", Detail: err.Error()})
			continue
		}
		vals = loader.MergeMaps(vals, m)
	}
	for _, s := range opts.Set {
		if err := strvals.ParseInto(s, vals); err != nil {
			diags = append(diags, diag.Diagnostic{Severity: diag.Error, File: "--helm-set", Summary: fmt.Sprintf("--helm-set %q", s), Detail: err.Error()})
		}
	}
	return vals, diags
}

// copyValues deep-copies a values tree: rendering writes into the maps
// it is given.
func copyValues(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok {
			v = copyValues(sub)
		}
		out[k] = v
	}
	return out
}

func capabilities(kube string) (*common.Capabilities, error) {
	if kube == "" {
		kube = DefaultKubeVersion
	}
	kv, err := common.ParseKubeVersion(kube)
	if err != nil {
		return nil, err
	}
	caps := common.DefaultCapabilities.Copy()
	caps.KubeVersion = *kv
	return caps, nil
}

// chartFile is one file of a chart as read from disk.
type chartFile struct {
	name string // slash path under the chart
	data []byte
}

// readChart reads the files of the chart in dir as Helm's loader would,
// honouring .helmignore, but never through a symbolic link whose target
// lies outside the chart, and within MaxChartSize.
func readChart(dir string) ([]chartFile, diag.List) {
	var diags diag.List
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, diag.List{{Severity: diag.Error, File: filepath.ToSlash(dir), Summary: "cannot read Helm chart", Detail: err.Error()}}
	}
	root, _ = filepath.Abs(root)
	rules := ignore.Empty()
	if r, err := ignore.ParseFile(filepath.Join(dir, ignore.HelmIgnore)); err == nil {
		rules = r
	}
	rules.AddDefaults()
	var files []chartFile
	total := 0
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(dir, p)
		n := filepath.ToSlash(rel)
		if err != nil {
			diags = append(diags, diag.Diagnostic{Severity: diag.Warning, File: filepath.ToSlash(p), Summary: "cannot read", Detail: err.Error()})
			return nil
		}
		if n == "." {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if rules.Ignore(n, fi) {
				return fs.SkipDir
			}
			return nil
		}
		if rules.Ignore(n, fi) {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := filepath.EvalSymlinks(p)
			tfi, serr := os.Stat(p)
			if err != nil || serr != nil || !within(root, target) || !tfi.Mode().IsRegular() {
				diags = append(diags, diag.Diagnostic{Severity: diag.Warning, File: filepath.ToSlash(p),
					Summary: "symbolic link not followed: the chart may read only its own regular files"})
				return nil
			}
		} else if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			diags = append(diags, diag.Diagnostic{Severity: diag.Warning, File: filepath.ToSlash(p), Summary: "cannot read", Detail: err.Error()})
			return nil
		}
		if total += len(data); total > MaxChartSize {
			diags = append(diags, diag.Diagnostic{Severity: diag.Error, File: filepath.ToSlash(dir),
				Summary: fmt.Sprintf("Helm chart larger than %d MiB: the rest of its files are not read", MaxChartSize>>20)})
			return fs.SkipAll
		}
		files = append(files, chartFile{name: n, data: bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))})
		return nil
	})
	return files, diags
}

func within(root, p string) bool {
	p, _ = filepath.Abs(p)
	return p == root || strings.HasPrefix(p, root+string(filepath.Separator))
}

func loadFiles(files []chartFile) (*chartv2.Chart, error) {
	bf := make([]*archive.BufferedFile, 0, len(files))
	for _, f := range files {
		bf = append(bf, &archive.BufferedFile{Name: f.name, Data: f.data})
	}
	return loader.LoadFiles(bf)
}

// missingDeps reports each dependency Chart.yaml lists that charts/ does
// not hold, as an unread part of the input, and drops it from the list so
// the rest of the chart renders; reasons say why, by name, for those
// resolveDeps looked for.
func missingDeps(ch *chartv2.Chart, name string, reasons map[string]string) diag.List {
	var diags diag.List
	have := map[string]bool{}
	for _, d := range ch.Dependencies() {
		have[d.Name()] = true
	}
	var kept []*chartv2.Dependency
	for _, d := range ch.Metadata.Dependencies {
		if have[d.Name] {
			kept = append(kept, d)
			continue
		}
		reason := reasons[d.Name]
		if reason == "" {
			reason = "not vendored under charts/: run helm dependency build"
		}
		diags = append(diags, diag.Diagnostic{Severity: diag.Warning, File: name + "/Chart.yaml", Line: depLine(name+"/Chart.yaml", d.Name),
			Summary: "Helm dependency " + depLabel(d) + " not read: " + reason,
			Unread:  &diag.Unread{Call: "helm chart " + name + " dependency " + d.Name, Source: strings.TrimSpace(d.Repository + " " + d.Name + " " + d.Version), Reason: reason}})
	}
	ch.Metadata.Dependencies = kept
	for _, d := range ch.Dependencies() {
		diags = append(diags, missingDeps(d, name+"/charts/"+d.Name(), nil)...)
	}
	return diags
}

// depLine is the line of the dependency's name in Chart.yaml, 0 if not
// found.
func depLine(file, dep string) int {
	data, err := os.ReadFile(file)
	if err != nil {
		return 0
	}
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil || len(root.Content) == 0 {
		return 0
	}
	top := root.Content[0]
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value != "dependencies" {
			continue
		}
		for _, d := range top.Content[i+1].Content {
			for j := 0; j+1 < len(d.Content); j += 2 {
				if d.Content[j].Value == "name" && d.Content[j+1].Value == dep {
					return d.Content[j].Line
				}
			}
		}
	}
	return 0
}

// renderRelease renders one release within the chart's bounds, in this
// process or in the chart's child process.
func (r *renderer) renderRelease(rel string, vals map[string]any) ([]Doc, error) {
	var out map[string]string
	var err error
	if r.opts.Isolate {
		// Sent before prepareRelease below, which writes into vals.
		out, err = r.renderIsolated(rel, vals)
		if err != nil {
			return nil, err
		}
	}
	// The chart is loaded here in either case: which template comes
	// from which file depends on the dependencies the values enable.
	ch, rv, err := prepareRelease(r.files, rel, vals, r.caps, r.opts.Namespace)
	if err != nil {
		return nil, err
	}
	if !r.opts.Isolate {
		if out, err = r.renderInProcess(ch, rv); err != nil {
			return nil, err
		}
	}
	if err := checkOutput(out, r.opts.MaxOutput); err != nil {
		return nil, err
	}
	return split(out, sources(ch, r.dir)), nil
}

// source is where a template came from.
type source struct {
	file    string // the file on disk, or the archive holding it
	archive bool
	text    string
}

// sources maps each template, by the name the engine renders it under,
// to its file: the chart's own under dir, a dependency's under
// dir/charts/ (a directory or a .tgz archive).
func sources(ch *chartv2.Chart, dir string) map[string]source {
	out := map[string]source{}
	var walk func(c *chartv2.Chart, disk string, archived bool)
	walk = func(c *chartv2.Chart, disk string, archived bool) {
		for _, t := range c.Templates {
			s := source{file: disk, archive: archived, text: string(t.Data)}
			if !archived {
				s.file = filepath.ToSlash(filepath.Join(disk, filepath.FromSlash(t.Name)))
			}
			out[path.Join(c.ChartFullPath(), t.Name)] = s
		}
		entries := depEntries(disk, archived)
		for _, d := range c.Dependencies() {
			e, ok := entries[d.Name()]
			switch {
			case archived || !ok:
				walk(d, disk, archived || !ok)
			default:
				walk(d, e, strings.HasSuffix(e, ".tgz"))
			}
		}
	}
	walk(ch, dir, false)
	return out
}

// depEntries maps the chart name of each entry of disk/charts to it.
func depEntries(disk string, archived bool) map[string]string {
	out := map[string]string{}
	if archived {
		return out
	}
	cd := filepath.Join(disk, "charts")
	es, err := os.ReadDir(cd)
	if err != nil {
		return out
	}
	for _, e := range es {
		p := filepath.Join(cd, e.Name())
		switch {
		case e.IsDir():
			data, err := os.ReadFile(filepath.Join(p, "Chart.yaml"))
			var md struct {
				Name string `yaml:"name"`
			}
			if err == nil && yaml.Unmarshal(data, &md) == nil && md.Name != "" {
				out[md.Name] = filepath.ToSlash(p)
			}
		case strings.HasSuffix(e.Name(), ".tgz"):
			f, err := os.Open(p)
			if err != nil {
				continue
			}
			c, err := loader.LoadArchive(f)
			f.Close()
			if err == nil {
				out[c.Name()] = filepath.ToSlash(p)
			}
		}
	}
	return out
}

// split cuts each rendered manifest into its documents, in the order of
// the templates' names, each placed at its template's lines.
func split(rendered map[string]string, srcs map[string]source) []Doc {
	names := make([]string, 0, len(rendered))
	for n := range rendered {
		switch strings.ToLower(path.Ext(n)) {
		case ".yaml", ".yml", ".json":
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var docs []Doc
	for _, n := range names {
		src := srcs[n]
		lines := strings.Split(rendered[n], "\n")
		tmap := align(strings.Split(src.text, "\n"), lines)
		start := 0
		flush := func(end int) {
			body := lines[start:end]
			if !hasContent(body) {
				return
			}
			d := Doc{YAML: []byte(strings.Join(body, "\n") + "\n"), File: src.file, Template: n}
			if src.file == "" {
				d.File = n
			}
			if src.archive {
				d.Line = 1
			} else {
				d.Lines = tmap[start:end]
				d.Line = firstLine(body, d.Lines)
			}
			docs = append(docs, d)
		}
		for i, ln := range lines {
			if strings.HasPrefix(ln, "---") && strings.TrimSpace(strings.TrimLeft(ln, "-")) == "" {
				flush(i)
				start = i + 1
			}
		}
		flush(len(lines))
	}
	return docs
}

func hasContent(lines []string) bool {
	for _, l := range lines {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "#") {
			return true
		}
	}
	return false
}

// firstLine is the template line of the document's first content line.
func firstLine(body []string, lines []int) int {
	for i, l := range body {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "#") && lines[i] > 0 {
			return lines[i]
		}
	}
	return 1
}

var keyRE = regexp.MustCompile(`^\s*(?:-\s+)*([^\s:#{}"'][^:#{}]*?|"[^"]*"|'[^']*'):(?:\s|$)`)

// align gives each rendered line (0-based) the template line (1-based)
// it most likely came from: rendered lines are matched in order to the
// template lines that write the same key, and a line with no such match
// (a value spread over lines, the output of include or toYaml) takes the
// line of the last match. Templates are mostly the YAML they render, so
// most keys land on their own line, and everything else near it.
func align(tpl, out []string) []int {
	res := make([]int, len(out))
	keys := make([]string, len(tpl))
	for i, l := range tpl {
		if m := keyRE.FindStringSubmatch(l); m != nil {
			keys[i] = m[1]
		}
	}
	cur := -1
	for i, l := range out {
		if m := keyRE.FindStringSubmatch(l); m != nil {
			// Look ahead a bounded distance so a key produced by a helper
			// does not pull the cursor to a far-off line of that name.
			for j := cur + 1; j < len(tpl) && j <= cur+40; j++ {
				if keys[j] == m[1] {
					cur = j
					break
				}
			}
		}
		if cur >= 0 {
			res[i] = cur + 1
		} else {
			res[i] = 1
		}
	}
	return res
}

var tplPosRE = regexp.MustCompile(`([A-Za-z0-9_.\-]+(?:/[A-Za-z0-9_.\-]+)+):(\d+)`)

// renderError places a rendering error at the template line it names.
func renderError(chart, variant, rel string, err error) diag.Diagnostic {
	d := diag.Diagnostic{Severity: diag.Error, File: chart + "/Chart.yaml",
		Summary: "Helm release " + rel + " not rendered", Detail: err.Error()}
	if variant != "" {
		d.Summary += " (values " + variant + ")"
	}
	var bound boundError
	if errors.As(err, &bound) {
		// Stopped at a bound: the message names no template, and the
		// chart is where the bound applies.
		d.Unread = &diag.Unread{Call: "helm release " + rel, Source: chart, Reason: "not rendered: " + err.Error()}
		return d
	}
	if m := tplPosRE.FindStringSubmatch(err.Error()); m != nil {
		// The engine names templates by chart name, not directory.
		if _, rest, ok := strings.Cut(m[1], "/"); ok {
			d.File = chart + "/" + rest
			d.Line, _ = strconv.Atoi(m[2])
		}
	}
	d.Unread = &diag.Unread{Call: "helm release " + rel, Source: chart, Reason: "not rendered: " + d.Summary}
	return d
}
