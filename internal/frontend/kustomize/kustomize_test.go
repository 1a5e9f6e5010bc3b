package kustomize

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/eksguard/eksguard/internal/diag"
)

// obj is an emitted object decoded for the assertions.
type obj struct {
	Kind     string
	Metadata struct {
		Name        string
		Namespace   string
		Annotations map[string]string
		Labels      map[string]string
	}
	Spec map[string]any
	Data map[string]string
}

func decode(t *testing.T, r Resource) obj {
	t.Helper()
	var o obj
	if err := yaml.Unmarshal(r.YAML, &o); err != nil {
		t.Fatalf("%s: %v\n%s", r.File, err, r.YAML)
	}
	return o
}

// byName indexes the build's objects by kind/name.
func byName(t *testing.T, res []Resource) (map[string]obj, map[string]Resource) {
	objs, rs := map[string]obj{}, map[string]Resource{}
	for _, r := range res {
		o := decode(t, r)
		objs[o.Kind+"/"+o.Metadata.Name] = o
		rs[o.Kind+"/"+o.Metadata.Name] = r
	}
	return objs, rs
}

func TestOverlay(t *testing.T) {
	dir := filepath.Join("testdata", "app", "overlays", "prod")
	res, diags := Build(dir, Options{})
	if len(diags) != 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	objs, rs := byName(t, res)
	want := map[string]string{ // kind/name -> file:line
		"ServiceAccount/prod-web":              "testdata/app/base/workloads.yaml:3",
		"Deployment/prod-web":                  "testdata/app/base/workloads.yaml:8",
		"Service/prod-web":                     "testdata/app/base/service.yaml:2",
		"ConfigMap/prod-web-config-dfk4bdbtkk": "testdata/app/overlays/prod/kustomization.yaml:16",
	}
	if len(res) != len(want) {
		t.Errorf("%d objects, want %d: %v", len(res), len(want), objs)
	}
	for k, pos := range want {
		r, ok := rs[k]
		if !ok {
			t.Errorf("no %s", k)
			continue
		}
		if got := r.File + ":" + strconv.Itoa(r.Line); got != filepath.FromSlash(pos) && got != pos {
			t.Errorf("%s at %s, want %s", k, got, pos)
		}
		if r.Overlay != dir {
			t.Errorf("%s: overlay %q, want %q", k, r.Overlay, dir)
		}
		if o := objs[k]; o.Metadata.Namespace != "payments" {
			t.Errorf("%s: namespace %q", k, o.Metadata.Namespace)
		}
		if strings.Contains(string(r.YAML), "config.kubernetes.io/origin") || strings.Contains(string(r.YAML), "alpha.config.kubernetes.io/transformations") {
			t.Errorf("%s: build annotations left in\n%s", k, r.YAML)
		}
		if strings.Contains(string(r.YAML), "---") {
			t.Errorf("%s: not one document\n%s", k, r.YAML)
		}
	}
	dep := objs["Deployment/prod-web"]
	if got := dep.Spec["replicas"]; got != 3 {
		t.Errorf("replicas %v, want 3 (strategic merge patch)", got)
	}
	y := string(rs["Deployment/prod-web"].YAML)
	for _, s := range []string{
		"runAsNonRoot: true",               // strategic merge patch
		"allowPrivilegeEscalation: false",  // strategic merge patch
		"path: /healthz",                   // component's JSON patch
		"name: prod-web-config-dfk4bdbtkk", // generated name, referenced
		"serviceAccountName: prod-web",     // prefix carried into references
		"image: nginx:1.27",                // base
	} {
		if !strings.Contains(y, s) {
			t.Errorf("Deployment lacks %q:\n%s", s, y)
		}
	}
	if s := string(rs["Service/prod-web"].YAML); !strings.Contains(s, "port: 8080") {
		t.Errorf("Service port not patched by the JSON 6902 patch:\n%s", s)
	}
	if d := objs["ConfigMap/prod-web-config-dfk4bdbtkk"].Data; d["LOG_LEVEL"] != "warn" {
		t.Errorf("ConfigMap data %v", d)
	}
}

func TestRemoteIncomplete(t *testing.T) {
	dir := filepath.Join("testdata", "remote")
	res, diags := Build(dir, Options{})
	if diags.HasErrors() {
		t.Fatalf("errors: %v", diags)
	}
	kf := filepath.Join(dir, "kustomization.yaml")
	want := []struct {
		line   int
		call   string
		source string
	}{
		{3, kf + "#resources[1]", "https://github.com/example/platform//deploy/base?ref=v1.2.0"},
		{4, kf + "#resources[2]", "git@github.com:example/platform.git//deploy/base"},
		{8, kf + "#configMapGenerator[0].files[0]", "settings=https://example.com/settings.conf"},
	}
	inc := diags.Incomplete()
	if len(inc) != len(want) || len(diags) != len(want) {
		t.Fatalf("diagnostics %v, want %d incomplete entries only", diags, len(want))
	}
	for i, w := range want {
		d := inc[i]
		if d.File != kf || d.Line != w.line || d.Unread.Call != w.call || d.Unread.Source != w.source || d.Severity != diag.Warning {
			t.Errorf("entry %d: %s %+v, want %s:%d %s %s", i, d, *d.Unread, kf, w.line, w.call, w.source)
		}
	}
	objs, rs := byName(t, res)
	if len(res) != 2 {
		t.Errorf("objects %v, want the local ConfigMap and the generated one", objs)
	}
	if r, ok := rs["ConfigMap/local"]; !ok || r.File != filepath.Join(dir, "configmap.yaml") || r.Line != 2 {
		t.Errorf("local ConfigMap: %+v", r)
	}
	var gen obj
	for k, o := range objs {
		if strings.HasPrefix(k, "ConfigMap/remote-files-") {
			gen = o
			if r := rs[k]; r.File != kf || r.Line != 6 {
				t.Errorf("generated ConfigMap at %s:%d, want %s:6", r.File, r.Line, kf)
			}
		}
	}
	if _, ok := gen.Data["settings"]; ok || gen.Data["local.conf"] != "x = 1\n" {
		t.Errorf("generated ConfigMap data %v: want only the local file", gen.Data)
	}
}

func TestOutsideRoot(t *testing.T) {
	dir := filepath.Join("testdata", "escape", "tree", "overlay")
	res, diags := BuildUnder(filepath.Join("testdata", "escape", "tree"), dir, Options{})
	if len(res) != 0 {
		t.Errorf("objects from outside the root: %v", res)
	}
	if len(diags) != 1 || diags[0].Severity != diag.Error {
		t.Fatalf("diagnostics %v, want one error", diags)
	}
	d := diags[0]
	if d.File != filepath.Join(dir, "kustomization.yaml") || d.Line != 2 || !strings.Contains(d.Detail, "outside the scanned tree") {
		t.Errorf("diagnostic %s", d)
	}
	// A kustomization directory outside the root is refused outright.
	_, diags = BuildUnder(dir, filepath.Join("testdata", "escape", "secret"), Options{})
	if len(diags) != 1 || diags[0].Severity != diag.Error {
		t.Errorf("diagnostics %v, want one error", diags)
	}
}

func TestPluginNotRun(t *testing.T) {
	marker := filepath.Join(t.TempDir(), "ran")
	t.Setenv("KUSTOMIZE_TEST_MARKER", marker)
	dir := filepath.Join("testdata", "plugin")
	res, diags := Build(dir, Options{})
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("the exec function ran")
	}
	if len(res) != 0 {
		t.Errorf("objects: %v", res)
	}
	if len(diags) != 1 || diags[0].Severity != diag.Error {
		t.Fatalf("diagnostics %v, want one error", diags)
	}
	d := diags[0]
	if d.File != filepath.Join(dir, "kustomization.yaml") || d.Line != 4 || !strings.Contains(d.Summary, "never runs") {
		t.Errorf("diagnostic %s", d)
	}
}

func TestMalformed(t *testing.T) {
	dir := filepath.Join("testdata", "malformed")
	res, diags := Build(dir, Options{})
	if len(res) != 0 {
		t.Errorf("objects: %v", res)
	}
	if len(diags) != 1 || diags[0].Severity != diag.Error {
		t.Fatalf("diagnostics %v, want one error", diags)
	}
	if d := diags[0]; d.File != filepath.Join(dir, "kustomization.yaml") || d.Line != 3 {
		t.Errorf("diagnostic %s, want at line 3", d)
	}
}

// TestBadInputs: inputs kustomize rejects give an error diagnostic, never
// a panic or objects.
func TestBadInputs(t *testing.T) {
	cases := map[string]map[string]string{
		"missing resource": {"kustomization.yaml": "resources:\n  - nothere.yaml\n"},
		"unknown field":    {"kustomization.yaml": "resources: []\nresorces:\n  - a.yaml\n"},
		"bad resource":     {"kustomization.yaml": "resources:\n  - a.yaml\n", "a.yaml": "kind: ConfigMap\nmetadata:\n  name: a\ndata: [\n"},
		"empty":            {"kustomization.yaml": ""},
		"not a mapping":    {"kustomization.yaml": "- a\n- b\n"},
		"no kustomization": {"a.yaml": "x: 1\n"},
		"absolute path":    {"kustomization.yaml": "resources:\n  - /etc/hostname\n"},
		"helm":             {"kustomization.yaml": "helmCharts:\n  - name: x\n    repo: https://example.com/charts\n"},
		"cycle":            {"kustomization.yaml": "resources:\n  - .\n"},
		"missing config":   {"kustomization.yaml": "resources:\n  - a.yaml\nconfigurations:\n  - conf/missing.yaml\n", "a.yaml": "kind: ConfigMap\nmetadata:\n  name: a\n"},
	}
	// Where the message names an entry, the error is at its line.
	wantLine := map[string]int{"missing resource": 2, "missing config": 4}
	for name, files := range cases {
		dir := t.TempDir()
		for f, c := range files {
			if err := os.WriteFile(filepath.Join(dir, f), []byte(c), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		res, diags := BuildUnder(dir, dir, Options{})
		if len(res) != 0 || !diags.HasErrors() {
			t.Errorf("%s: %d objects, diagnostics %v", name, len(res), diags)
			continue
		}
		for _, d := range diags {
			if d.File == "" || d.Line < 1 {
				t.Errorf("%s: unpositioned %s", name, d)
			}
		}
		if l, ok := wantLine[name]; ok && diags[len(diags)-1].Line != l {
			t.Errorf("%s: error at line %d, want %d: %s", name, diags[len(diags)-1].Line, l, diags[len(diags)-1])
		}
	}
}

func TestTimeout(t *testing.T) {
	dir := filepath.Join("testdata", "app", "overlays", "prod")
	buildMu.Lock() // an earlier build still running
	res, diags := Build(dir, Options{Timeout: 50 * time.Millisecond})
	buildMu.Unlock()
	if len(res) != 0 || len(diags) != 1 || !strings.Contains(diags[0].Summary, "timed out") {
		t.Errorf("objects %d, diagnostics %v", len(res), diags)
	}
}

// TestFieldPositions: each line of an emitted object is placed at the
// source line that wrote its field: the base document, a strategic merge
// patch (new fields only: the container it merged into stays in the
// base), a JSON patch's operation (in a file, or inline in a component),
// and the overlay's namespace and namePrefix.
func TestFieldPositions(t *testing.T) {
	dir := filepath.Join("testdata", "app", "overlays", "prod")
	res, diags := Build(dir, Options{})
	if len(diags) != 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	_, rs := byName(t, res)
	at := func(kind, line string) string {
		r := rs[kind]
		for i, l := range strings.Split(string(r.YAML), "\n") {
			if strings.TrimSpace(l) == line {
				if i >= len(r.Lines) || r.Lines[i] == 0 {
					return "unplaced"
				}
				f := r.Files[i]
				return filepath.ToSlash(f) + ":" + strconv.Itoa(r.Lines[i])
			}
		}
		return "no line " + line
	}
	for _, c := range []struct{ obj, line, want string }{
		{"Deployment/prod-web", "name: prod-web", "testdata/app/overlays/prod/kustomization.yaml:4"},
		{"Deployment/prod-web", "namespace: payments", "testdata/app/overlays/prod/kustomization.yaml:3"},
		{"Deployment/prod-web", "replicas: 3", "testdata/app/overlays/prod/deployment-patch.yaml:6"},
		{"Deployment/prod-web", "image: nginx:1.27", "testdata/app/base/workloads.yaml:26"},
		{"Deployment/prod-web", "- envFrom:", "testdata/app/base/workloads.yaml:25"},
		{"Deployment/prod-web", "securityContext:", "testdata/app/overlays/prod/deployment-patch.yaml:11"},
		{"Deployment/prod-web", "allowPrivilegeEscalation: false", "testdata/app/overlays/prod/deployment-patch.yaml:13"},
		{"Deployment/prod-web", "readinessProbe:", "testdata/app/components/probes/kustomization.yaml:7"},
		{"Deployment/prod-web", "path: /healthz", "testdata/app/components/probes/kustomization.yaml:11"},
		{"Deployment/prod-web", "serviceAccountName: prod-web", "testdata/app/base/workloads.yaml:23"},
		{"Service/prod-web", "- port: 8080", "testdata/app/overlays/prod/service-port.json:1"},
	} {
		if got := at(c.obj, c.line); got != c.want {
			t.Errorf("%s %q at %s, want %s", c.obj, c.line, got, c.want)
		}
	}
}
