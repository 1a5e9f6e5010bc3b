package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/finding"
	"github.com/eksguard/eksguard/internal/report"
	"github.com/eksguard/eksguard/internal/testutil"
)

// depPod is the one template of the dependency charts: a
// privileged container the pod checks fail.
const depPod = `apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}-redis
  namespace: apps
spec:
  containers:
    - name: redis
      image: redis
      securityContext:
        privileged: true
`

// chartTgz packs a chart named name as helm package does.
func chartTgz(t *testing.T, name, version string) []byte {
	t.Helper()
	return testutil.TarGz(t, map[string]string{
		name + "/Chart.yaml":         fmt.Sprintf("apiVersion: v2\nname: %s\nversion: %s\n", name, version),
		name + "/templates/pod.yaml": depPod,
	})
}

// privileged are the findings of the dependency's privileged container
// (K8S-010).
func privileged(r *report.Report) []finding.Finding {
	var out []finding.Finding
	for _, f := range r.Findings {
		if f.RuleID == "K8S-010" {
			out = append(out, f)
		}
	}
	return out
}

// TestHelmDependencyDownload: a chart dependency charts/ does not hold is
// an incomplete entry at its Chart.yaml line offline; with
// --download-modules it is fetched from its repository on the loopback
// interface and the privileged container of its template is found, at
// the dependency's line, introduced by the release and the dependency.
func TestHelmDependencyDownload(t *testing.T) {
	tgz := chartTgz(t, "redis", "1.2.0")
	sum := sha256.Sum256(tgz)
	mux := http.NewServeMux()
	mux.HandleFunc("/repo/index.yaml", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, "apiVersion: v1\nentries:\n  redis:\n    - apiVersion: v2\n      name: redis\n      version: 1.2.0\n      digest: %s\n      urls: [redis-1.2.0.tgz]\n    - apiVersion: v2\n      name: redis\n      version: 2.0.0\n      urls: [redis-2.0.0.tgz]\n", hex.EncodeToString(sum[:]))
	})
	mux.HandleFunc("/repo/redis-1.2.0.tgz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(tgz) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	repo := srv.URL + "/repo"
	dir := writeFiles(t, map[string]string{
		"app/Chart.yaml":        fmt.Sprintf("apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: redis\n    version: ^1.0.0\n    repository: %s\n", repo),
		"app/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: apps\n",
	})
	chartYAML := filepath.ToSlash(filepath.Join(dir, "app", "Chart.yaml"))

	_, r := scanJSON(t, dir)
	if inc := r.Summary.Incomplete; len(inc) != 1 || inc[0].File != chartYAML || inc[0].Line != 5 ||
		!strings.Contains(inc[0].Source, repo) || !strings.Contains(inc[0].Reason, "--download-modules") {
		t.Errorf("offline: want the dependency incomplete at %s:5, got %+v", chartYAML, inc)
	}
	if fs := privileged(r); len(fs) != 0 {
		t.Errorf("offline, yet the dependency was read: %+v", fs)
	}

	_, r = scanJSON(t, "--download-modules", "--module-cache", t.TempDir(), dir)
	if len(r.Summary.Incomplete) != 0 || len(r.Errors) != 0 {
		t.Fatalf("incomplete %+v, errors %v", r.Summary.Incomplete, r.Errors)
	}
	fs := privileged(r)
	if len(fs) != 1 {
		t.Fatalf("want the dependency's privileged container found once, got %+v", fs)
	}
	f := fs[0]
	want := []string{"helm release app", "helm dependency redis 1.2.0 (" + repo + ")", "helm:app/charts/redis/templates/pod.yaml"}
	if f.File != chartYAML || f.Line != 5 || len(f.IntroducedBy) < 3 || strings.Join(f.IntroducedBy[:3], " > ") != strings.Join(want, " > ") {
		t.Errorf("%s at %s:%d introduced by %v; want %s:5 introduced by %v", f.RuleID, f.File, f.Line, f.IntroducedBy, chartYAML, want)
	}
}

// TestHelmVendoredArchive: a dependency vendored as a .tgz under charts/
// is rendered offline, and its findings point at the archive and name
// the template inside it.
func TestHelmVendoredArchive(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"app/Chart.yaml": "apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: redis\n    version: ^1.0.0\n    repository: https://charts.example.com\n",
	})
	if err := os.MkdirAll(filepath.Join(dir, "app", "charts"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "app", "charts", "redis-1.0.2.tgz"), chartTgz(t, "redis", "1.0.2"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, r := scanJSON(t, dir)
	if len(r.Summary.Incomplete) != 0 || len(r.Errors) != 0 {
		t.Fatalf("incomplete %+v, errors %v", r.Summary.Incomplete, r.Errors)
	}
	fs := privileged(r)
	if len(fs) != 1 {
		t.Fatalf("want the vendored dependency's privileged container, got %+v", r.Findings)
	}
	f := fs[0]
	if want := filepath.ToSlash(filepath.Join(dir, "app", "charts", "redis-1.0.2.tgz")); f.File != want || f.Line != 1 ||
		len(f.IntroducedBy) < 2 || f.IntroducedBy[1] != "helm:app/charts/redis/templates/pod.yaml" {
		t.Errorf("at %s:%d introduced by %v, want %s:1 through the archive's template", f.File, f.Line, f.IntroducedBy, want)
	}
}

// TestHelmLocalDependencyOnce: a chart that another chart of the scan
// reads as a file:// dependency is rendered through it, not also on its
// own: its privileged container is found once, at its own template line,
// and a notice says so.
func TestHelmLocalDependencyOnce(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"app/Chart.yaml":         "apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: redis\n    version: ^1.0.0\n    repository: file://../redis\n",
		"redis/Chart.yaml":       "apiVersion: v2\nname: redis\nversion: 1.0.0\n",
		"redis/templates/p.yaml": depPod,
	})
	_, r := scanJSON(t, dir)
	if len(r.Summary.Incomplete) != 0 || len(r.Errors) != 0 {
		t.Fatalf("incomplete %+v, errors %v", r.Summary.Incomplete, r.Errors)
	}
	fs := privileged(r)
	if len(fs) != 1 {
		t.Fatalf("want the privileged container once, got %+v", fs)
	}
	f := fs[0]
	if want := filepath.ToSlash(filepath.Join(dir, "redis", "templates", "p.yaml")); f.File != want || f.Line != 11 ||
		len(f.IntroducedBy) < 3 || f.IntroducedBy[0] != "helm release app" || !strings.HasPrefix(f.IntroducedBy[1], "helm dependency redis 1.0.0 (file://../redis)") {
		t.Errorf("at %s:%d introduced by %v, want %s:11 through app", f.File, f.Line, f.IntroducedBy, want)
	}
	n := 0
	for _, d := range r.Notices {
		if strings.Contains(d.Summary, "rendered as a dependency of") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("want a notice that redis is rendered through app, got %+v", r.Notices)
	}

	// Disabled in app, it is rendered on its own: still checked, once;
	// --helm-set enabling it renders it through app again.
	chart := "apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: redis\n    version: ^1.0.0\n    repository: file://../redis\n    condition: redis.enabled\n"
	if err := os.WriteFile(filepath.Join(dir, "app", "Chart.yaml"), []byte(chart), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "app", "values.yaml"), []byte("redis:\n  enabled: false\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, r = scanJSON(t, dir)
	if fs := privileged(r); len(fs) != 1 || len(fs[0].IntroducedBy) == 0 || fs[0].IntroducedBy[0] != "helm release redis" {
		t.Errorf("disabled in app: want redis rendered on its own, got %+v", fs)
	}
	_, r = scanJSON(t, "--helm-set", "redis.enabled=true", dir)
	if fs := privileged(r); len(fs) != 1 || len(fs[0].IntroducedBy) == 0 || fs[0].IntroducedBy[0] != "helm release app" {
		t.Errorf("--helm-set redis.enabled=true: want redis rendered through app, got %+v", fs)
	}
}
