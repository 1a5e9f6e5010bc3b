package helm

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	chartv2 "helm.sh/helm/v4/pkg/chart/v2"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/testutil"
)

// depTemplate is the template of the dependency charts the tests serve:
// its version shows in the output, so a test sees which one was rendered.
const depTemplate = `apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}-redis
  labels:
    version: "{{ .Chart.Version }}"
spec:
  containers:
    - name: redis
      image: redis
      securityContext:
        privileged: true
`

// chartArchive packs a chart as helm package does: every file under a
// directory named after the chart.
func chartArchive(t *testing.T, name, version string, files map[string]string) []byte {
	t.Helper()
	all := map[string]string{name + "/Chart.yaml": fmt.Sprintf("apiVersion: v2\nname: %s\nversion: %s\n", name, version)}
	for n, s := range files {
		all[name+"/"+n] = s
	}
	return testutil.TarGz(t, all)
}

// chartRepo is a chart repository on the loopback interface that counts
// the requests for each path.
type chartRepo struct {
	srv   *httptest.Server
	mu    sync.Mutex
	files map[string][]byte
	hits  map[string]int
}

func newChartRepo(t *testing.T) *chartRepo {
	r := &chartRepo{files: map[string][]byte{}, hits: map[string]int{}}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.hits[req.URL.Path]++
		data, ok := r.files[req.URL.Path]
		r.mu.Unlock()
		if !ok {
			http.NotFound(w, req)
			return
		}
		_, _ = w.Write(data)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *chartRepo) put(p string, data []byte) {
	r.mu.Lock()
	r.files[p] = data
	r.mu.Unlock()
}

func (r *chartRepo) count(p string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.hits[p]
}

// entry is one version of the index; url "" means the archive's file name
// relative to the repository, digest "-" leaves the digest out.
type entry struct {
	version, url, digest string
	noURL                bool
}

// serve publishes each version of chart name under /repo, with an index
// whose digests are those of the archives unless an entry says otherwise.
func (r *chartRepo) serve(t *testing.T, name string, entries ...entry) {
	var idx strings.Builder
	idx.WriteString("apiVersion: v1\nentries:\n  " + name + ":\n")
	for _, e := range entries {
		data := chartArchive(t, name, e.version, map[string]string{"templates/pod.yaml": depTemplate})
		file := name + "-" + e.version + ".tgz"
		r.put("/repo/"+file, data)
		sum := sha256.Sum256(data)
		digest := hex.EncodeToString(sum[:])
		switch e.digest {
		case "-":
			digest = ""
		case "":
		default:
			digest = e.digest
		}
		u := e.url
		if u == "" {
			u = file
		}
		fmt.Fprintf(&idx, "    - apiVersion: v2\n      name: %s\n      version: %s\n      created: 2026-01-02T03:04:05Z\n", name, e.version)
		if digest != "" {
			fmt.Fprintf(&idx, "      digest: %s\n", digest)
		}
		if e.noURL {
			idx.WriteString("      urls: []\n")
		} else {
			fmt.Fprintf(&idx, "      urls:\n        - %s\n", u)
		}
	}
	idx.WriteString("generated: 2026-01-02T03:04:05Z\n")
	r.put("/repo/index.yaml", []byte(idx.String()))
}

// appChart writes a chart app depending on redis (the dependency's name
// is at line 5 of Chart.yaml), with a template of its own.
func appChart(t *testing.T, repo, version string, extra map[string]string) string {
	files := map[string]string{
		"Chart.yaml":        fmt.Sprintf("apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: redis\n    version: %q\n    repository: %q\n", version, repo),
		"templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n",
	}
	for n, s := range extra {
		files[n] = s
	}
	return writeChart(t, files)
}

func fetchOpts(t *testing.T, cache string) Options {
	t.Helper()
	return Options{Deps: Deps{Fetch: &Fetcher{CacheDir: cache, Client: http.DefaultClient}}}
}

// depDoc is the one document rendered from the redis dependency.
func depDoc(t *testing.T, ch *Chart) Doc {
	t.Helper()
	var out []Doc
	for _, d := range ch.Docs {
		if d.Template == "app/charts/redis/templates/pod.yaml" {
			out = append(out, d)
		}
	}
	if len(out) != 1 {
		t.Fatalf("want one document of the dependency, got %d", len(out))
	}
	return out[0]
}

// TestDownloadedDependency: with a Fetcher the dependency charts/ lacks
// is downloaded from its repository (the newest version the constraint
// allows, from a URL relative to the repository), checked against the
// index's digest and rendered with the chart; its documents point at the
// dependency's entry in Chart.yaml and name it. A second run takes the
// archive from the cache and asks only for the index.
func TestDownloadedDependency(t *testing.T) {
	r := newChartRepo(t)
	r.serve(t, "redis", entry{version: "1.0.0"}, entry{version: "1.2.0"}, entry{version: "2.0.0"})
	dir := appChart(t, r.srv.URL+"/repo", "^1.0.0", nil)
	cache := t.TempDir()
	for run := 1; run <= 2; run++ {
		ch, diags := Render(dir, fetchOpts(t, cache))
		if len(diags) != 0 {
			t.Fatalf("run %d: %v", run, diags)
		}
		d := depDoc(t, ch)
		if !bytes.Contains(d.YAML, []byte(`version: "1.2.0"`)) {
			t.Errorf("run %d: not version 1.2.0:\n%s", run, d.YAML)
		}
		if want := filepath.ToSlash(dir) + "/Chart.yaml"; d.File != want || d.Line != 5 || d.Lines != nil {
			t.Errorf("run %d: placed at %s:%d (%v), want %s:5", run, d.File, d.Line, d.Lines, want)
		}
		if d.Dependency == nil || d.Dependency.String() != "helm dependency redis 1.2.0 ("+r.srv.URL+"/repo)" {
			t.Errorf("run %d: dependency %v", run, d.Dependency)
		}
		if len(ch.Docs) != 2 {
			t.Errorf("run %d: %d documents, want the chart's own and the dependency's", run, len(ch.Docs))
		}
	}
	if n := r.count("/repo/redis-1.2.0.tgz"); n != 1 {
		t.Errorf("archive downloaded %d times, want once (then the cache)", n)
	}
	if n := r.count("/repo/index.yaml"); n != 2 {
		t.Errorf("index fetched %d times, want once per run", n)
	}
}

// TestVersionChoice: the version picked is the one helm dependency
// update picks: the newest the constraint allows, prereleases only when
// the constraint names one, entries without a URL or with an invalid
// version skipped; an absolute URL in the index is followed.
func TestVersionChoice(t *testing.T) {
	r := newChartRepo(t)
	r.serve(t, "redis", entry{version: "1.0.0"}, entry{version: "1.0.5", url: r.srv.URL + "/repo/redis-1.0.5.tgz"},
		entry{version: "1.2.0"}, entry{version: "1.2.1", noURL: true}, entry{version: "1.3.0-rc.1"}, entry{version: "2.0.0"})
	idx := string(r.files["/repo/index.yaml"])
	r.put("/repo/index.yaml", []byte(strings.Replace(idx, "entries:\n  redis:\n",
		"entries:\n  redis:\n    - apiVersion: v2\n      name: redis\n      version: latest\n      urls: [redis-latest.tgz]\n", 1)))
	for _, tc := range []struct{ constraint, want string }{
		{"^1.0.0", "1.2.0"},
		{"~1.0.0", "1.0.5"},
		{"1.0.0", "1.0.0"},
		{"~1.3.0-0", "1.3.0-rc.1"},
		{"*", "2.0.0"},
		{">=1.0.0 <1.2.1", "1.2.0"},
		{"1.x", "1.2.0"},
		{"^1.0.0 || ^2.0.0", "2.0.0"},
		{">2", ""},
		{"not a constraint", ""},
	} {
		dir := appChart(t, r.srv.URL+"/repo", tc.constraint, nil)
		ch, diags := Render(dir, fetchOpts(t, t.TempDir()))
		if tc.want == "" {
			if inc := diags.Incomplete(); len(inc) != 1 || inc[0].Line != 5 {
				t.Errorf("%q: want the dependency incomplete, got %v", tc.constraint, diags)
			}
			continue
		}
		if len(diags) != 0 {
			t.Errorf("%q: %v", tc.constraint, diags)
			continue
		}
		if d := depDoc(t, ch); d.Dependency.Version != tc.want {
			t.Errorf("%q chose %s, want %s", tc.constraint, d.Dependency.Version, tc.want)
		}
	}
}

// TestHelmLockDigest: the digest of a Chart.lock Helm wrote (argo-cd's)
// is the one eksguard computes, so the lock pins its version; a changed
// dependency makes the lock out of sync, as helm dependency build says.
func TestHelmLockDigest(t *testing.T) {
	files, ds := readChart("testdata/helm-lock")
	ch, err := loadFiles(files)
	if err != nil || len(ds) != 0 {
		t.Fatal(err, ds)
	}
	pins, why := lockedVersions(ch)
	if why != "" || len(pins) != 1 || pins[0] != "4.38.0" {
		t.Fatalf("pins %v, %q", pins, why)
	}
	ch.Metadata.Dependencies[0].Version = "4.39.0"
	if _, why := lockedVersions(ch); !strings.Contains(why, "out of sync") {
		t.Errorf("changed dependency: %q", why)
	}
}

// lockFor writes the Chart.lock helm dependency update would write for
// the chart in dir pinning each dependency to the version given.
func lockFor(t *testing.T, dir string, versions ...string) {
	t.Helper()
	files, _ := readChart(dir)
	ch, err := loadFiles(files)
	if err != nil {
		t.Fatal(err)
	}
	var locked []*chartv2.Dependency
	for i, d := range ch.Metadata.Dependencies {
		locked = append(locked, &chartv2.Dependency{Name: d.Name, Repository: d.Repository, Version: versions[i]})
	}
	var b strings.Builder
	b.WriteString("dependencies:\n")
	for _, d := range locked {
		fmt.Fprintf(&b, "- name: %s\n  repository: %s\n  version: %s\n", d.Name, d.Repository, d.Version)
	}
	fmt.Fprintf(&b, "digest: %s\ngenerated: \"2026-01-02T03:04:05Z\"\n", digestJSON([2][]*chartv2.Dependency{ch.Metadata.Dependencies, locked}))
	if err := os.WriteFile(filepath.Join(dir, "Chart.lock"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestChartLockPins: Chart.lock's version wins over the newest the
// constraint allows; once cached, a pinned archive needs no request at
// all (the repository may be gone); a lock out of sync with Chart.yaml
// leaves the dependency unread, as helm dependency build refuses it.
func TestChartLockPins(t *testing.T) {
	r := newChartRepo(t)
	r.serve(t, "redis", entry{version: "1.0.0"}, entry{version: "1.2.0"})
	dir := appChart(t, r.srv.URL+"/repo", "^1.0.0", nil)
	lockFor(t, dir, "1.0.0")
	cache := t.TempDir()
	ch, diags := Render(dir, fetchOpts(t, cache))
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	if v := depDoc(t, ch).Dependency.Version; v != "1.0.0" {
		t.Fatalf("locked 1.0.0, rendered %s", v)
	}
	r.srv.Close()
	ch, diags = Render(dir, fetchOpts(t, cache))
	if len(diags) != 0 || depDoc(t, ch).Dependency.Version != "1.0.0" {
		t.Fatalf("pinned and cached, yet: %v", diags)
	}

	stale := appChart(t, "https://charts.example.com", "^1.0.0", nil)
	lockFor(t, stale, "1.0.0")
	if err := os.WriteFile(filepath.Join(stale, "Chart.yaml"), []byte(strings.Replace(readFile(t, stale, "Chart.yaml"), "^1.0.0", "^1.1.0", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, diags = Render(stale, fetchOpts(t, cache))
	if inc := diags.Incomplete(); len(inc) != 1 || inc[0].Line != 5 || !strings.Contains(inc[0].Summary, "Chart.lock is out of sync") {
		t.Errorf("lock out of sync: %v", diags)
	}
}

func readFile(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestDownloadFailures: each way a download fails leaves the dependency
// unread at its line in Chart.yaml with the reason, and the chart's own
// templates rendered.
func TestDownloadFailures(t *testing.T) {
	r := newChartRepo(t)
	r.serve(t, "redis", entry{version: "1.0.0", digest: strings.Repeat("ab", 32)}, entry{version: "1.1.0"},
		entry{version: "1.2.0", url: "missing/redis-1.2.0.tgz"}, entry{version: "1.3.0", digest: "-"}, entry{version: "1.4.0", digest: "-"})
	r.put("/repo/redis-1.3.0.tgz", []byte("not a gzip stream"))
	r.put("/repo/redis-1.4.0.tgz", chartArchive(t, "valkey", "1.4.0", nil))
	r.put("/bad/index.yaml", []byte("apiVersion: v1\nentries: {}\nunknown: field\n"))
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	for _, tc := range []struct{ repo, version, want string }{
		{r.srv.URL + "/repo", "1.0.0", "digest mismatch"},
		{r.srv.URL + "/repo", "1.2.0", "/repo/missing/redis-1.2.0.tgz: 404 Not Found"},
		{r.srv.URL + "/repo", "1.3.0", "not a chart archive"},
		{r.srv.URL + "/repo", "1.4.0", "holds chart valkey, not redis"},
		{r.srv.URL + "/repo", "^3", `no version of chart redis in ` + r.srv.URL + `/repo satisfies "^3"`},
		{r.srv.URL + "/nothing", "1.0.0", "/nothing/index.yaml: 404 Not Found"},
		{r.srv.URL + "/bad", "1.0.0", "not a chart repository index"},
		{closed.URL, "1.0.0", "connection refused"},
	} {
		dir := appChart(t, tc.repo, tc.version, nil)
		ch, diags := Render(dir, fetchOpts(t, t.TempDir()))
		if ch == nil || len(ch.Docs) != 1 {
			t.Errorf("%s %s: the chart's own template is not rendered: %v", tc.repo, tc.version, diags)
			continue
		}
		inc := diags.Incomplete()
		if len(inc) != 1 || inc[0].Line != 5 || !strings.HasSuffix(inc[0].File, "/Chart.yaml") ||
			!strings.Contains(inc[0].Summary, "redis ("+tc.repo) || !strings.Contains(inc[0].Unread.Reason, tc.want) {
			t.Errorf("%s %s: want an incomplete entry at Chart.yaml:5 saying %q, got %v", tc.repo, tc.version, tc.want, diags)
		}
	}
}

// TestNoDownloadWithoutFetcher: offline the dependency is an incomplete
// entry naming it, its repository and the flag, at its Chart.yaml line,
// and no request is made.
func TestNoDownloadWithoutFetcher(t *testing.T) {
	r := newChartRepo(t)
	r.serve(t, "redis", entry{version: "1.0.0"})
	dir := appChart(t, r.srv.URL+"/repo", "1.0.0", nil)
	_, diags := Render(dir, Options{})
	inc := diags.Incomplete()
	if len(inc) != 1 || inc[0].File != filepath.ToSlash(dir)+"/Chart.yaml" || inc[0].Line != 5 ||
		!strings.Contains(inc[0].Summary, "redis ("+r.srv.URL+"/repo, version 1.0.0)") || !strings.Contains(inc[0].Summary, "--download-modules") {
		t.Errorf("got %v", diags)
	}
	if n := r.count("/repo/index.yaml"); n != 0 {
		t.Errorf("%d requests offline", n)
	}
}

// TestStaleIndex: when the repository cannot be reached, the index an
// earlier run cached stands in, with a warning saying so.
func TestStaleIndex(t *testing.T) {
	r := newChartRepo(t)
	r.serve(t, "redis", entry{version: "1.0.0"})
	dir := appChart(t, r.srv.URL+"/repo", "^1", nil)
	cache := t.TempDir()
	if _, diags := Render(dir, fetchOpts(t, cache)); len(diags) != 0 {
		t.Fatal(diags)
	}
	r.srv.Close()
	ch, diags := Render(dir, fetchOpts(t, cache))
	if len(diags) != 1 || diags[0].Severity != diag.Warning || diags[0].Line != 5 || !strings.Contains(diags[0].Summary, "read from the cache") {
		t.Fatalf("want one warning about the cached index, got %v", diags)
	}
	if depDoc(t, ch).Dependency.Version != "1.0.0" {
		t.Error("not rendered from the cache")
	}
}

// TestRedirectToOtherScheme: a repository on https that redirects to
// plain http is not followed.
func TestRedirectToOtherScheme(t *testing.T) {
	plain := newChartRepo(t)
	plain.serve(t, "redis", entry{version: "1.0.0"})
	tls := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		http.Redirect(w, req, plain.srv.URL+req.URL.Path, http.StatusFound)
	}))
	defer tls.Close()
	dir := appChart(t, tls.URL+"/repo", "1.0.0", nil)
	_, diags := Render(dir, Options{Deps: Deps{Fetch: &Fetcher{CacheDir: t.TempDir(), Client: tls.Client()}}})
	if inc := diags.Incomplete(); len(inc) != 1 || !strings.Contains(inc[0].Unread.Reason, "changes the scheme") {
		t.Errorf("got %v", diags)
	}
	if n := plain.count("/repo/index.yaml"); n != 0 {
		t.Error("the redirect was followed")
	}
}

// TestLocalDependency: a file:// dependency inside the scanned paths is
// read without a Fetcher, its documents placed at its own template lines;
// outside them, or at a version the constraint refuses, it is unread. A
// dependency of its own that is missing is reported at its Chart.yaml.
func TestLocalDependency(t *testing.T) {
	root := writeChart(t, map[string]string{
		"app/Chart.yaml":        "apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: lib\n    version: ^0.1.0\n    repository: file://../lib\n",
		"app/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n",
		"lib/Chart.yaml":        "apiVersion: v2\nname: lib\nversion: 0.1.3\ndependencies:\n  - name: pg\n    version: 1.0.0\n    repository: https://charts.example.com\n",
		"lib/templates/pod.yaml": "# a comment\napiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}-lib\n" +
			"spec:\n  containers:\n    - name: c\n      image: x\n      securityContext:\n        privileged: true\n",
	})
	real, _ := filepath.EvalSymlinks(root)
	inside := Deps{Local: func(dir string) bool { return within(real, dir) }}
	app := filepath.Join(root, "app")
	ch, diags := Render(app, Options{Deps: inside})
	inc := diags.Incomplete()
	if len(diags) != 1 || len(inc) != 1 || inc[0].File != filepath.ToSlash(root)+"/lib/Chart.yaml" || inc[0].Line != 5 || !strings.Contains(inc[0].Summary, "pg") {
		t.Errorf("want lib's own missing dependency at lib/Chart.yaml:5, got %v", diags)
	}
	var lib *Doc
	for i, d := range ch.Docs {
		if d.Template == "app/charts/lib/templates/pod.yaml" {
			lib = &ch.Docs[i]
		}
	}
	if lib == nil {
		t.Fatalf("the file:// dependency is not rendered: %v", ch.Docs)
	}
	if want := filepath.ToSlash(root) + "/lib/templates/pod.yaml"; lib.File != want || lib.Line != 2 || lib.Dependency == nil || lib.Dependency.Version != "0.1.3" {
		t.Errorf("placed at %s:%d (%v), want %s:2", lib.File, lib.Line, lib.Dependency, want)
	}
	for i, l := range strings.Split(string(lib.YAML), "\n") {
		if strings.Contains(l, "privileged") && lib.Lines[i] != 11 {
			t.Errorf("privileged at line %d, want 11", lib.Lines[i])
		}
	}

	_, diags = Render(app, Options{})
	if inc := diags.Incomplete(); len(inc) != 1 || inc[0].Line != 5 || !strings.Contains(inc[0].Summary, "outside the scanned paths") {
		t.Errorf("outside: %v", diags)
	}
	if err := os.WriteFile(filepath.Join(root, "lib/Chart.yaml"), []byte("apiVersion: v2\nname: lib\nversion: 0.2.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, diags = Render(app, Options{Deps: inside})
	if inc := diags.Incomplete(); len(inc) != 1 || !strings.Contains(inc[0].Summary, `is version 0.2.0, which "^0.1.0" does not allow`) {
		t.Errorf("version refused: %v", diags)
	}
}

// TestUnfetchedRepositories: oci:// and repository aliases are not
// fetched, even with a Fetcher, and say why.
func TestUnfetchedRepositories(t *testing.T) {
	for repo, want := range map[string]string{
		"oci://registry.example.com/charts": "oci:// registries are not fetched",
		"@bitnami":                          "added with helm repo add",
		"alias:bitnami":                     "added with helm repo add",
		"charts.example.com":                "neither a URL nor file://",
	} {
		dir := appChart(t, repo, "1.0.0", nil)
		_, diags := Render(dir, fetchOpts(t, t.TempDir()))
		if inc := diags.Incomplete(); len(inc) != 1 || inc[0].Line != 5 || !strings.Contains(inc[0].Summary, want) {
			t.Errorf("%s: %v", repo, diags)
		}
	}
}

// TestVendoredArchive: a dependency vendored as a .tgz under charts/
// renders with the chart, offline, and its documents point at the
// archive.
func TestVendoredArchive(t *testing.T) {
	dir := appChart(t, "https://charts.example.com", "^1.0.0", nil)
	tgz := chartArchive(t, "redis", "1.0.2", map[string]string{"templates/pod.yaml": depTemplate})
	if err := os.MkdirAll(filepath.Join(dir, "charts"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "charts", "redis-1.0.2.tgz"), tgz, 0o644); err != nil {
		t.Fatal(err)
	}
	ch, diags := Render(dir, Options{})
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	d := depDoc(t, ch)
	if want := filepath.ToSlash(dir) + "/charts/redis-1.0.2.tgz"; d.File != want || d.Line != 1 || d.Dependency != nil {
		t.Errorf("placed at %s:%d, want %s:1", d.File, d.Line, want)
	}
}

// TestParseIndexLikeHelm: JSON and strict YAML, invalid entries dropped,
// versions newest first, the same errors as Helm for an empty index or
// one without apiVersion.
func TestParseIndexLikeHelm(t *testing.T) {
	idx, err := parseIndex([]byte(`{"apiVersion":"v1","entries":{"a":[{"name":"a","version":"1.0.0","urls":["a.tgz"]},null,{"name":"a","version":"bad"},{"name":"a","version":"1.10.0","urls":["b.tgz"]}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range idx.Entries["a"] {
		got = append(got, v.Version)
	}
	if strings.Join(got, " ") != "1.10.0 1.0.0" {
		t.Errorf("entries %v", got)
	}
	for data, want := range map[string]string{
		"":                                    "empty",
		"entries: {}\n":                       "no API version",
		"apiVersion: v1\nentries: {}\nx: 1\n": "unknown field",
	} {
		if _, err := parseIndex([]byte(data)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", data, err, want)
		}
	}
	for base, want := range map[string]string{
		"https://h/charts":       "https://h/charts/x.tgz",
		"https://h/charts/":      "https://h/charts/x.tgz",
		"https://h/charts?sig=1": "https://h/charts/x.tgz?sig=1",
	} {
		if u, err := resolveReference(base, "x.tgz"); err != nil || u.String() != want {
			t.Errorf("%s: %v %v, want %s", base, u, err, want)
		}
	}
}
