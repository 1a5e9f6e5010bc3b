package helm

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/Masterminds/semver/v3"
	"go.yaml.in/yaml/v3"
	chartv2 "helm.sh/helm/v4/pkg/chart/v2"

	"github.com/eksguard/eksguard/internal/diag"
)

// Deps say how a dependency that Chart.yaml lists and charts/ does not
// hold is found, as helm dependency build would vendor it.
type Deps struct {
	// Local tells whether the directory of a file:// dependency (absolute,
	// links resolved) may be read: it lies inside the scanned paths. Nil:
	// none may.
	Local func(dir string) bool
	// Fetch downloads dependencies from HTTP chart repositories
	// (--download-modules); nil keeps the scan offline.
	Fetch *Fetcher
}

// DepSource is where a dependency that charts/ did not hold was read from.
type DepSource struct {
	// Name is the chart's name, Version the version read, Repository the
	// repository as Chart.yaml writes it.
	Name, Version, Repository string
	// File and Line are the dependency's entry in Chart.yaml.
	File string
	Line int
	// Dir is the directory of a file:// dependency; URL the address a
	// downloaded one came from ("" when the cache answered).
	Dir, URL string

	texts map[string]string // a file:// dependency's files, by slash path
}

// String names the dependency for "introduced by".
func (s *DepSource) String() string {
	return "helm dependency " + s.Name + " " + s.Version + " (" + s.Repository + ")"
}

// depResult is what resolving the missing dependencies of a chart gave.
type depResult struct {
	// reasons say, by chart name, why a dependency was not read.
	reasons map[string]string
	// origins are the dependencies read, by the name the rendered
	// template paths give them (the alias, else the name).
	origins map[string]*DepSource
	diags   diag.List
}

// resolveDeps finds each dependency of the chart that charts/ does not
// hold, as helm dependency build would: a file:// directory inside the
// scanned paths, or with a Fetcher an archive from its HTTP repository
// (the version Chart.lock pins, else the newest the constraint allows).
// What it finds joins the chart's files as if vendored under charts/, and
// the chart is loaded again with them. Dependencies of dependencies are
// not looked for: helm dependency build does not either.
func resolveDeps(dir, name string, files []chartFile, ch *chartv2.Chart, o Deps) ([]chartFile, *chartv2.Chart, depResult) {
	res := depResult{reasons: map[string]string{}, origins: map[string]*DepSource{}}
	have := map[string]bool{}
	for _, d := range ch.Dependencies() {
		have[d.Name()] = true
	}
	var missing []int
	for i, d := range ch.Metadata.Dependencies {
		if d != nil && !have[d.Name] {
			missing = append(missing, i)
		}
	}
	if len(missing) == 0 {
		return files, ch, res
	}
	chartYAML := name + "/Chart.yaml"
	pins, lockErr := lockedVersions(ch)
	taken := map[string]bool{}
	for _, f := range files {
		if rest, ok := strings.CutPrefix(f.name, "charts/"); ok {
			first, _, _ := strings.Cut(rest, "/")
			taken[first] = true
		}
	}
	var extra []chartFile
	done := map[string]*DepSource{}
	for _, i := range missing {
		d := ch.Metadata.Dependencies[i]
		key := d.Name
		if d.Alias != "" {
			key = d.Alias
		}
		if src, ok := done[d.Name]; ok {
			// Aliases of one chart share its files, as in charts/.
			res.origins[key] = src
			continue
		}
		if _, failed := res.reasons[d.Name]; failed {
			continue
		}
		line := depLine(chartYAML, d.Name)
		constraint, pinned := d.Version, false
		if v, ok := pins[i]; ok {
			constraint, pinned = v, true
		}
		var (
			src   *DepSource
			add   []chartFile
			why   string
			warns []string
		)
		repo := d.Repository
		switch {
		case repo == "":
			why = "not vendored under charts/, and Chart.yaml names no repository to get it from"
		case lockErr != "":
			why = lockErr
		case strings.HasPrefix(repo, "file://"):
			src, add, why, warns = localDep(dir, d, constraint, taken, o)
		case strings.HasPrefix(repo, "oci://"):
			why = "not vendored under charts/, and oci:// registries are not fetched: run helm dependency build"
		case strings.HasPrefix(repo, "@") || strings.HasPrefix(repo, "alias:"):
			why = "not vendored under charts/, and " + repo + " names a repository added with helm repo add, whose configuration eksguard does not read: run helm dependency build, or give the repository's URL"
		case strings.HasPrefix(repo, "https://") || strings.HasPrefix(repo, "http://"):
			if o.Fetch == nil {
				why = "not vendored under charts/: run helm dependency build, or scan with --download-modules"
				break
			}
			src, add, why, warns = remoteDep(d, constraint, pinned, taken, o.Fetch)
		default:
			why = "not vendored under charts/, and its repository is neither a URL nor file:// (helm dependency build refuses it too)"
		}
		for _, w := range warns {
			res.diags = append(res.diags, diag.Diagnostic{Severity: diag.Warning, File: chartYAML, Line: line,
				Summary: "Helm dependency " + d.Name + " (" + repo + "): " + w})
		}
		if why != "" {
			res.reasons[d.Name] = why
			continue
		}
		src.Name, src.Repository, src.File, src.Line = d.Name, repo, chartYAML, line
		done[d.Name] = src
		res.origins[key] = src
		extra = append(extra, add...)
	}
	if len(extra) == 0 {
		return files, ch, res
	}
	all := append(append([]chartFile(nil), files...), extra...)
	nch, err := loadFiles(all)
	if err != nil {
		// Each dependency loaded on its own; together they should too.
		for _, src := range done {
			res.reasons[src.Name] = "cannot be loaded with the chart: " + err.Error()
		}
		res.origins = map[string]*DepSource{}
		return files, ch, res
	}
	return all, nch, res
}

// freeName is a name under charts/ that no file of the chart uses.
func freeName(taken map[string]bool, base, ext string) string {
	n := base + ext
	for k := 2; taken[n]; k++ {
		n = fmt.Sprintf("%s-%d%s", base, k, ext)
	}
	taken[n] = true
	return n
}

// localDep reads a file:// dependency: a chart directory that helm
// dependency build would package into charts/. Helm itself renders no
// such dependency until it is vendored; reading it needs no network and
// gives what helm dependency build would, so it is read without
// --download-modules, but only inside the scanned paths.
func localDep(dir string, d *chartv2.Dependency, constraint string, taken map[string]bool, o Deps) (*DepSource, []chartFile, string, []string) {
	p := strings.TrimPrefix(d.Repository, "file://")
	if !strings.HasPrefix(p, "/") {
		p = filepath.Join(dir, filepath.FromSlash(p))
	}
	shown := filepath.ToSlash(filepath.Clean(p))
	real, err := filepath.EvalSymlinks(p)
	if err == nil {
		real, err = filepath.Abs(real)
	}
	if err != nil {
		return nil, nil, "directory " + shown + " not found", nil
	}
	if o.Local == nil || !o.Local(real) {
		return nil, nil, "its directory " + shown + " is outside the scanned paths: scan a directory that contains it, or give --follow-outside", nil
	}
	if own, err := filepath.EvalSymlinks(dir); err == nil {
		if own, err = filepath.Abs(own); err == nil && within(real, own) {
			return nil, nil, "file:// names the chart itself or a directory that holds it", nil
		}
	}
	if !IsChart(p) {
		return nil, nil, shown + " holds no Chart.yaml", nil
	}
	dfiles, ds := readChart(p)
	var warns []string
	for _, w := range ds {
		warns = append(warns, w.File+": "+w.Summary)
	}
	dch, err := loadFiles(dfiles)
	if err != nil {
		return nil, nil, "cannot load the chart in " + shown + ": " + err.Error(), warns
	}
	if why := checkDep(dch, d, constraint); why != "" {
		return nil, nil, "the chart in " + shown + " " + why, warns
	}
	sub := freeName(taken, dch.Name(), "")
	out := make([]chartFile, 0, len(dfiles))
	texts := make(map[string]string, len(dfiles))
	for _, f := range dfiles {
		out = append(out, chartFile{name: "charts/" + sub + "/" + f.name, data: f.data})
		texts[f.name] = string(f.data)
	}
	return &DepSource{Version: dch.Metadata.Version, Dir: shown, texts: texts}, out, "", warns
}

// checkDep says what makes a chart found for a dependency unfit, as helm
// dependency build checks it: its name, and its version against the
// constraint (or the version Chart.lock pins).
func checkDep(ch *chartv2.Chart, d *chartv2.Dependency, constraint string) string {
	if ch.Name() != d.Name {
		return "is chart " + ch.Name() + ", not " + d.Name
	}
	c, err := semver.NewConstraint(constraint)
	if err != nil {
		return fmt.Sprintf("cannot be checked: invalid version constraint %q: %v", constraint, err)
	}
	v, err := semver.NewVersion(ch.Metadata.Version)
	if err != nil {
		return fmt.Sprintf("has version %q, which is not a semantic version", ch.Metadata.Version)
	}
	if !c.Check(v) {
		return fmt.Sprintf("is version %s, which %q does not allow", ch.Metadata.Version, constraint)
	}
	return ""
}

// remoteDep downloads a dependency from its HTTP repository.
func remoteDep(d *chartv2.Dependency, constraint string, pinned bool, taken map[string]bool, f *Fetcher) (*DepSource, []chartFile, string, []string) {
	fc, err := f.fetch(context.Background(), d.Repository, d.Name, constraint, pinned)
	if err != nil {
		return nil, nil, "cannot be fetched: " + err.Error(), nil
	}
	var warns []string
	if fc.stale != "" {
		warns = append(warns, fc.stale)
	}
	if fc.chart.Name() != d.Name {
		return nil, nil, "the archive downloaded holds chart " + fc.chart.Name() + ", not " + d.Name, warns
	}
	n := freeName(taken, d.Name+"-"+fc.chart.Metadata.Version, ".tgz")
	return &DepSource{Version: fc.chart.Metadata.Version, URL: fc.url}, []chartFile{{name: "charts/" + n, data: fc.data}}, "", warns
}

// lockedVersions are the versions Chart.lock (requirements.lock for an
// apiVersion v1 chart) pins, by the index of the dependency in Chart.yaml.
// helm dependency build refuses a lock whose digest does not match the
// dependencies, and so does this; the reason comes back as a string.
func lockedVersions(ch *chartv2.Chart) (map[int]string, string) {
	lock := ch.Lock
	if lock == nil {
		return nil, ""
	}
	lockName := "Chart.lock"
	if ch.Metadata.APIVersion == chartv2.APIVersionV1 {
		lockName = "requirements.lock"
	}
	req := make([]*chartv2.Dependency, len(ch.Metadata.Dependencies))
	for i, d := range ch.Metadata.Dependencies {
		c := *d
		// Helm hashes a repository named by alias as the URL it stands
		// for, which the lock entry made from it records.
		if i < len(lock.Dependencies) && lock.Dependencies[i] != nil && lock.Dependencies[i].Name == c.Name &&
			(strings.HasPrefix(c.Repository, "@") || strings.HasPrefix(c.Repository, "alias:")) {
			c.Repository = lock.Dependencies[i].Repository
		}
		req[i] = &c
	}
	sum := digestJSON([2][]*chartv2.Dependency{req, lock.Dependencies})
	if sum != lock.Digest && ch.Metadata.APIVersion == chartv2.APIVersionV1 {
		// A lock Helm 2 wrote hashes the dependencies alone.
		sum = digestJSON(map[string][]*chartv2.Dependency{"dependencies": ch.Metadata.Dependencies})
	}
	if sum != lock.Digest {
		return nil, lockName + " is out of sync with the dependencies in Chart.yaml, and helm dependency build refuses it: run helm dependency update"
	}
	pins := map[int]string{}
	for i, ld := range lock.Dependencies {
		if i < len(req) && ld != nil && ld.Name == req[i].Name {
			pins[i] = ld.Version
		}
	}
	return pins, ""
}

// digestJSON is Helm's digest of dependency lists: the SHA-256 of their
// JSON.
func digestJSON(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// place moves the documents rendered from a dependency that charts/ did
// not hold to their source: a file:// dependency's own template file and
// line; a downloaded one's entry in Chart.yaml, the archive being only in
// the cache. Each names the dependency.
func (r depResult) place(docs []Doc, root string) {
	for i := range docs {
		d := &docs[i]
		for key, src := range r.origins {
			rel, ok := strings.CutPrefix(d.Template, root+"/charts/"+key+"/")
			if !ok {
				continue
			}
			d.Dependency = src
			text, local := src.texts[rel]
			switch {
			case local:
				d.File = src.Dir + "/" + rel
				body := strings.Split(strings.TrimSuffix(string(d.YAML), "\n"), "\n")
				d.Lines = align(strings.Split(text, "\n"), body)
				d.Line = firstLine(body, d.Lines)
			case src.Dir != "":
				d.File, d.Line, d.Lines = src.Dir+"/Chart.yaml", 1, nil
			default:
				d.File, d.Line, d.Lines = src.File, src.Line, nil
			}
			break
		}
	}
}

// sources are the dependencies read, each once, by name.
func (r depResult) sources() []*DepSource {
	var out []*DepSource
	seen := map[*DepSource]bool{}
	for _, src := range r.origins {
		if !seen[src] {
			seen[src] = true
			out = append(out, src)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// placeDiags moves diagnostics that name a file of such a dependency
// (a rendering error in its template, a dependency of its own that is
// missing) to its source, as place does for documents.
func (r depResult) placeDiags(ds diag.List, chart string) diag.List {
	for i := range ds {
		d := &ds[i]
		for key, src := range r.origins {
			rel, ok := strings.CutPrefix(d.File, chart+"/charts/"+key+"/")
			if !ok {
				rel, ok = strings.CutPrefix(d.File, chart+"/charts/"+src.Name+"/")
			}
			if !ok {
				continue
			}
			switch _, local := src.texts[rel]; {
			case local:
				d.File = src.Dir + "/" + rel
				if _, dep, ok := strings.Cut(unreadCall(d), " dependency "); ok && rel == "Chart.yaml" {
					d.Line = depLine(d.File, dep)
				}
			default:
				d.File, d.Line = src.File, src.Line
			}
			d.Detail = strings.TrimSpace(d.Detail + " (in " + src.String() + ")")
			break
		}
	}
	return ds
}

func unreadCall(d *diag.Diagnostic) string {
	if d.Unread == nil {
		return ""
	}
	return d.Unread.Call
}

// depLabel names a dependency with its repository and version.
func depLabel(d *chartv2.Dependency) string {
	var parts []string
	if d.Repository != "" {
		parts = append(parts, d.Repository)
	}
	if d.Version != "" {
		parts = append(parts, "version "+d.Version)
	}
	if len(parts) == 0 {
		return d.Name
	}
	return d.Name + " (" + strings.Join(parts, ", ") + ")"
}

// LocalDeps are the directories of the chart's file:// dependencies, as
// the chart directory's relative paths lead to them: a chart among them
// that the scan also meets is rendered through the chart that depends on
// it, not also on its own.
func LocalDeps(dir string) []string {
	var out []string
	for _, f := range []string{"Chart.yaml", "requirements.yaml"} {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			continue
		}
		var md struct {
			Dependencies []struct {
				Repository string `yaml:"repository"`
			} `yaml:"dependencies"`
		}
		if yaml.Unmarshal(data, &md) != nil {
			continue
		}
		for _, d := range md.Dependencies {
			p, ok := strings.CutPrefix(d.Repository, "file://")
			if !ok {
				continue
			}
			if !strings.HasPrefix(p, "/") {
				p = path.Join(filepath.ToSlash(dir), p)
			}
			out = append(out, filepath.FromSlash(path.Clean(p)))
		}
	}
	return out
}
