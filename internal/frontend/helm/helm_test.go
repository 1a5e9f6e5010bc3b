package helm

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/eksguard/eksguard/internal/diag"
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
}

// TestRenderMatchesHelmTemplate: every release renders the documents the
// helm CLI prints for it (helm template at the version of the library,
// committed by scripts/render-fixtures.sh), compared as YAML values by
// their "# Source:" template, and in no other documents.
func TestRenderMatchesHelmTemplate(t *testing.T) {
	ch, diags := Render(fixture, Options{})
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	ours := map[string][]string{}
	for _, d := range ch.Docs {
		ours[d.Release] = append(ours[d.Release], d.Template+"\n"+canonical(t, d.YAML))
	}
	for _, rel := range []string{"web", "web-prod", "web-ci-hostnet"} {
		data, err := os.ReadFile(filepath.Join("../testdata/charts-rendered", rel+".yaml"))
		if err != nil {
			t.Fatal(err)
		}
		var theirs []string
		for _, doc := range strings.Split(string(data), "\n---\n") {
			src := ""
			for _, l := range strings.Split(doc, "\n") {
				if s, ok := strings.CutPrefix(l, "# Source: "); ok {
					src = s
				}
			}
			if src == "" {
				continue
			}
			theirs = append(theirs, src+"\n"+canonical(t, []byte(doc)))
		}
		sort.Strings(theirs)
		got := append([]string(nil), ours[rel]...)
		sort.Strings(got)
		if strings.Join(got, "\n===\n") != strings.Join(theirs, "\n===\n") {
			t.Errorf("release %s differs from helm template:\neksguard:\n%s\nhelm:\n%s", rel, strings.Join(got, "\n===\n"), strings.Join(theirs, "\n===\n"))
		}
	}
}

// canonical is a YAML document re-encoded from its value: comments,
// blank lines and indentation styles fall away.
func canonical(t *testing.T, doc []byte) string {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(doc, &v); err != nil {
		t.Fatalf("%v in:\n%s", err, doc)
	}
	out, err := yaml.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
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

// TestValuePositions: a rendered value a template copies from .Values is
// also placed at the values line that set it, in the file that won
// (variant over values.yaml, the parent's values over a dependency's own),
// for a direct reference and for each field of a toYaml block; a value
// --helm-set gives is placed at no file.
func TestValuePositions(t *testing.T) {
	at := func(ch *Chart, release, template, line string) string {
		for _, d := range ch.Docs {
			if d.Release != release || !strings.HasSuffix(d.Template, template) {
				continue
			}
			for i, l := range strings.Split(string(d.YAML), "\n") {
				if strings.TrimSpace(l) == line {
					if p, ok := d.From[i+1]; ok {
						return strings.TrimPrefix(p.File, fixture+"/") + ":" + strconv.Itoa(p.Line)
					}
					return "none"
				}
			}
		}
		return "no line"
	}
	ch, diags := Render(fixture, Options{})
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	for _, c := range []struct{ release, template, line, want string }{
		{"web", "deployment.yaml", "privileged: true", "values.yaml:6"},
		{"web-prod", "deployment.yaml", "privileged: false", "values-prod.yaml:6"},
		{"web-prod", "deployment.yaml", "replicas: 3", "values-prod.yaml:1"},
		{"web-ci-hostnet", "deployment.yaml", "hostNetwork: true", "ci/hostnet-values.yaml:1"},
		{"web-ci-hostnet", "deployment.yaml", "privileged: true", "values.yaml:6"},
		// Two values in one string: neither line alone set it.
		{"web", "deployment.yaml", `image: "nginx:latest"`, "none"},
		{"web", "statefulset.yaml", "image: redis:7", "charts/cache/values.yaml:1"},
		{"web", "statefulset.yaml", "runAsNonRoot: false", "values.yaml:13"},
		{"web", "statefulset.yaml", "fsGroup: 999", "charts/cache/values.yaml:4"},
		// Written by the template itself.
		{"web", "statefulset.yaml", "allowPrivilegeEscalation: true", "none"},
	} {
		if got := at(ch, c.release, c.template, c.line); got != c.want {
			t.Errorf("%s %s %q from %s, want %s", c.release, c.template, c.line, got, c.want)
		}
	}
	ch, diags = Render(fixture, Options{Set: []string{"securityContext.privileged=true"}})
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	if got := at(ch, "web-prod", "deployment.yaml", "privileged: true"); got != "none" {
		t.Errorf("value given by --helm-set placed at %s", got)
	}
}

// TestValuesSchema: as helm template, a release whose values break the
// chart's values.schema.json (or a dependency's) is not rendered, with
// the validator's message; a release whose values meet it is. A schema
// that refers to a document elsewhere is not checked (eksguard fetches
// nothing) and the release renders, with a notice.
func TestValuesSchema(t *testing.T) {
	schema := `{"type": "object", "required": ["policy"], "properties": {"policy": {"enum": ["sync", "upsert-only"]}}}`
	dir := writeChart(t, map[string]string{
		"Chart.yaml":         chartYAML,
		"values.yaml":        "policy: null\n",
		"values-ok.yaml":     "policy: sync\n",
		"values-bad.yaml":    "policy: delete-all\n",
		"values.schema.json": schema,
		"templates/cm.yaml":  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  policy: {{ .Values.policy | quote }}\n",
	})
	ch, diags := Render(dir, Options{})
	var rendered []string
	for _, r := range ch.Releases {
		rendered = append(rendered, r.Name)
	}
	if strings.Join(rendered, ",") != "t-ok" {
		t.Errorf("rendered releases %v, want only t-ok", rendered)
	}
	var bad []string
	for _, d := range diags {
		if d.Severity == diag.Error && strings.Contains(d.Detail, "values don't meet the specifications of the schema") {
			bad = append(bad, d.Summary)
		}
	}
	if len(bad) != 2 || !strings.Contains(bad[0], "release t not rendered") || !strings.Contains(bad[1], "values-bad.yaml") {
		t.Errorf("schema errors: %v (all: %v)", bad, diags)
	}

	remote := writeChart(t, map[string]string{
		"Chart.yaml":         chartYAML,
		"values.yaml":        "policy: sync\n",
		"values.schema.json": `{"$ref": "https://example.com/schemas/values.json"}`,
		"templates/cm.yaml":  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
	})
	ch, diags = Render(remote, Options{})
	if ch == nil || len(ch.Releases) != 1 {
		t.Fatalf("remote schema: release not rendered: %v", diags)
	}
	if len(diags) != 1 || diags[0].Severity != diag.Notice || !strings.Contains(diags[0].Detail, "https://example.com/schemas/values.json") {
		t.Errorf("remote schema: want one notice naming the reference, got %v", diags)
	}
}
