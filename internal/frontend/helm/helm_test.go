package helm

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const fixture = "../testdata/charts/web"

// TestRenderFixture: the chart renders once per release (values.yaml,
// values-prod.yaml, ci/hostnet-values.yaml), with its vendored
// dependency, and each document names its template file and line.
func TestRenderFixture(t *testing.T) {
	ch, diags := Render(fixture, Options{})
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	got := map[string]bool{}
	for _, d := range ch.Docs {
		got[d.Release+" "+d.Template] = true
		if d.File == "" || d.Line < 1 || len(d.Lines) == 0 {
			t.Errorf("%s %s: no origin: %s:%d", d.Release, d.Template, d.File, d.Line)
		}
	}
	for _, want := range []string{"web web/templates/deployment.yaml", "web web/charts/cache/templates/statefulset.yaml",
		"web-prod web/templates/networkpolicy.yaml", "web-ci-hostnet web/templates/service.yaml"} {
		if !got[want] {
			t.Errorf("missing %s in %v", want, got)
		}
	}
	if got["web web/templates/networkpolicy.yaml"] || got["web-ci-hostnet web/charts/cache/templates/statefulset.yaml"] {
		t.Errorf("disabled template or dependency rendered: %v", got)
	}
	// The privileged line of the deployment is line 22 of the template.
	for _, d := range ch.Docs {
		if d.Release == "web" && strings.HasSuffix(d.Template, "deployment.yaml") {
			for i, l := range strings.Split(string(d.YAML), "\n") {
				if strings.Contains(l, "privileged:") && d.Lines[i] != 22 {
					t.Errorf("privileged at template line %d, want 22", d.Lines[i])
				}
			}
		}
	}
	if os.Getenv("EKSGUARD_UPDATE_RENDERED") != "" {
		writeRendered(t, ch)
	}
}

// writeRendered writes each release as helm template prints it, the
// fixture the Helm scan is compared with.
func writeRendered(t *testing.T, ch *Chart) {
	out := map[string]*bytes.Buffer{}
	for _, d := range ch.Docs {
		b := out[d.Release]
		if b == nil {
			b = &bytes.Buffer{}
			out[d.Release] = b
		}
		b.WriteString("---\n# Source: " + d.Template + "\n")
		b.Write(d.YAML)
	}
	for rel, b := range out {
		if err := os.WriteFile(filepath.Join("../testdata/charts-rendered", rel+".yaml"), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestValuesAndSet(t *testing.T) {
	vf := filepath.Join(t.TempDir(), "v.yaml")
	if err := os.WriteFile(vf, []byte("replicas: 7\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ch, diags := Render(fixture, Options{ValueFiles: []string{vf}, Set: []string{"image.tag=9.9", "cache.enabled=false"}})
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	for _, d := range ch.Docs {
		if strings.Contains(d.Template, "cache") {
			t.Errorf("--helm-set cache.enabled=false ignored in %s", d.Release)
		}
		if strings.HasSuffix(d.Template, "deployment.yaml") && (!bytes.Contains(d.YAML, []byte("replicas: 7")) || !bytes.Contains(d.YAML, []byte(":9.9\""))) {
			t.Errorf("%s: values not applied:\n%s", d.Release, d.YAML)
		}
	}
	if _, diags := Render(fixture, Options{Set: []string{"a[x]=1"}}); !diags.HasErrors() {
		t.Error("bad --helm-set accepted")
	}
}

func writeChart(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for n, s := range files {
		p := filepath.Join(dir, n)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const chartYAML = "apiVersion: v2\nname: t\nversion: 0.1.0\n"

func TestMissingDependencyIsIncomplete(t *testing.T) {
	dir := writeChart(t, map[string]string{
		"Chart.yaml":        chartYAML + "dependencies:\n  - name: pg\n    version: 1.0.0\n    repository: https://charts.example.com\n",
		"templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
	})
	ch, diags := Render(dir, Options{})
	if ch == nil || len(ch.Docs) != 1 {
		t.Fatalf("chart not rendered without its dependency: %v", diags)
	}
	inc := diags.Incomplete()
	if len(inc) != 1 || inc[0].Line != 5 || !strings.Contains(inc[0].Summary, "pg") {
		t.Fatalf("want one incomplete entry at Chart.yaml:5 for pg, got %v", diags)
	}
}

func TestBoundsAndErrors(t *testing.T) {
	loop := writeChart(t, map[string]string{"Chart.yaml": chartYAML,
		"templates/a.yaml": "{{- range until 100000 }}{{ range until 100000 }}{{ end }}{{ end }}\n"})
	_, diags := Render(loop, Options{Timeout: 300 * time.Millisecond})
	if !diags.HasErrors() || !strings.Contains(diags[0].Detail, "longer than") {
		t.Errorf("endless template not stopped: %v", diags)
	}
	big := writeChart(t, map[string]string{"Chart.yaml": chartYAML,
		"templates/a.yaml": "data: {{ repeat 2000 \"x\" }}\n"})
	if _, diags := Render(big, Options{MaxOutput: 1000}); !diags.HasErrors() || !strings.Contains(diags[0].Detail, "exceeds") {
		t.Errorf("output bound not applied: %v", diags)
	}
	bad := writeChart(t, map[string]string{"Chart.yaml": chartYAML,
		"templates/a.yaml": "a: 1\nb: {{ fail \"no\" }}\n"})
	_, diags = Render(bad, Options{})
	if !diags.HasErrors() || !strings.HasSuffix(diags[0].File, "/templates/a.yaml") || diags[0].Line != 2 {
		t.Errorf("want the error at templates/a.yaml:2, got %v", diags)
	}
}

// TestNoEscape: .Files cannot read outside the chart, through a symbolic
// link or a relative path.
func TestNoEscape(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "secret.txt")
	if err := os.WriteFile(secret, []byte("TOPSECRET"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := writeChart(t, map[string]string{"Chart.yaml": chartYAML,
		"templates/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: {{ .Files.Get \"link.txt\" | quote }}\n  b: {{ .Files.Get \"../../secret.txt\" | quote }}\n"})
	if err := os.Symlink(secret, filepath.Join(dir, "link.txt")); err != nil {
		t.Skip(err)
	}
	ch, diags := Render(dir, Options{})
	if ch == nil || len(ch.Docs) != 1 {
		t.Fatalf("not rendered: %v", diags)
	}
	if bytes.Contains(ch.Docs[0].YAML, []byte("TOPSECRET")) {
		t.Fatal("a file outside the chart was read")
	}
	if len(diags) != 1 || !strings.Contains(diags[0].Summary, "symbolic link not followed") {
		t.Errorf("want a notice for the link, got %v", diags)
	}
}
