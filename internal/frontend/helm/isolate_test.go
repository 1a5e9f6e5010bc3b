package helm

import (
	"errors"
	"os"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/eksguard/eksguard/internal/diag"
)

// TestMain lets the test binary serve as the renderer child process of
// the isolated tests, as main does for eksguard.
func TestMain(m *testing.M) {
	ServeIfWorker()
	os.Exit(m.Run())
}

// TestIsolatedSameDocs: a chart rendered in a child process gives the
// documents rendering in this process gives, for every release.
func TestIsolatedSameDocs(t *testing.T) {
	in, diags := Render(fixture, Options{Set: []string{"replicas=3"}})
	if len(diags) > 0 {
		t.Fatalf("in process: %v", diags)
	}
	iso, diags := Render(fixture, Options{Set: []string{"replicas=3"}, Isolate: true})
	if len(diags) > 0 {
		t.Fatalf("isolated: %v", diags)
	}
	if len(in.Docs) == 0 || len(in.Releases) != 3 {
		t.Fatalf("fixture rendered %d documents in %d releases", len(in.Docs), len(in.Releases))
	}
	if !reflect.DeepEqual(in, iso) {
		t.Errorf("isolated rendering differs:\nin process %+v\nisolated  %+v", in, iso)
	}
}

// TestIsolatedValuesTypes: values of every type YAML and --helm-set give
// reach the child as they are, nulls, empty maps and numbers' types
// included.
func TestIsolatedValuesTypes(t *testing.T) {
	vf := writeChart(t, map[string]string{"v.yaml": "nul: null\nf: 1.5\ni: 7\nb: true\ne: {}\nl: [1, {a: null}, [x]]\nm: {k: {k2: [why]}}\n"})
	dir := writeChart(t, map[string]string{"Chart.yaml": chartYAML,
		"templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n" +
			"  kinds: {{ range $k, $v := .Values }}{{ $k }}={{ kindOf $v }}/{{ typeOf $v }},{{ end }}\n" +
			"  values: {{ toJson .Values | quote }}\n"})
	opts := Options{ValueFiles: []string{vf + "/v.yaml"}, Set: []string{"s=str", "si=3", "sn=null", "sl[1].a=true"}}
	in, diags := Render(dir, opts)
	if len(diags) > 0 || len(in.Docs) != 1 {
		t.Fatalf("in process: %v", diags)
	}
	opts.Isolate = true
	iso, diags := Render(dir, opts)
	if len(diags) > 0 {
		t.Fatalf("isolated: %v", diags)
	}
	if !reflect.DeepEqual(in, iso) {
		t.Errorf("isolated rendering differs:\nin process %s\nisolated  %s", in.Docs[0].YAML, iso.Docs[0].YAML)
	}
	for _, want := range []string{"nul=invalid/<nil>", "f=float64/float64", "si=int64/int64", "e=map/map[string]interface {}", "l=slice/[]interface {}"} {
		if !strings.Contains(string(iso.Docs[0].YAML), want) {
			t.Errorf("want %s in %s", want, iso.Docs[0].YAML)
		}
	}
}

// boundChart writes a chart whose release renders normally with
// values.yaml and runs template tpl with values-bad.yaml, then a second
// normal variant after it.
func boundChart(t *testing.T, tpl string) string {
	return writeChart(t, map[string]string{"Chart.yaml": chartYAML,
		"values.yaml":          "bad: false\n",
		"values-bad.yaml":      "bad: true\n",
		"values-good.yaml":     "bad: false\n",
		"templates/cm.yaml":    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n",
		"templates/bound.yaml": "{{- if .Values.bad }}\n" + tpl + "\n{{- end }}\n"})
}

func releases(ch *Chart) []string {
	var out []string
	if ch != nil {
		for _, r := range ch.Releases {
			out = append(out, r.Name)
		}
	}
	return out
}

// boundDiag is the one diagnostic of the bad release.
func boundDiag(t *testing.T, diags diag.List) diag.Diagnostic {
	t.Helper()
	if len(diags) != 1 {
		t.Fatalf("want one diagnostic, got %v", diags)
	}
	d := diags[0]
	if d.Severity != diag.Error || !strings.HasSuffix(d.File, "/Chart.yaml") || d.Unread == nil || !strings.Contains(d.Summary, "t-bad") {
		t.Errorf("want an incomplete error for release t-bad at Chart.yaml, got %+v", d)
	}
	return d
}

// TestIsolatedLoopStopped: a template that never ends is killed at the
// time bound; the releases rendered before it are kept, those after it
// are reported as not rendered, and the next chart renders.
func TestIsolatedLoopStopped(t *testing.T) {
	dir := boundChart(t, "{{- range until 100000 }}{{ range until 100000 }}{{ end }}{{ end }}")
	ch, diags := Render(dir, Options{Isolate: true, Timeout: 2 * time.Second})
	if got := releases(ch); !reflect.DeepEqual(got, []string{"t"}) {
		t.Errorf("releases rendered: %v, want [t]", got)
	}
	if len(diags) != 2 || !strings.Contains(diags[0].Detail, "took longer than 2s: stopped") || !strings.Contains(diags[0].Summary, "t-bad") ||
		!strings.Contains(diags[1].Detail, "time bound of 2s was spent by the releases before it") || !strings.Contains(diags[1].Summary, "t-good") {
		t.Fatalf("want the time bound at t-bad and t-good not rendered, got %v", diags)
	}
	for _, d := range diags {
		if !strings.HasSuffix(d.File, "/Chart.yaml") || d.Unread == nil {
			t.Errorf("want an incomplete entry at Chart.yaml, got %+v", d)
		}
	}
	if ch, diags := Render(fixture, Options{Isolate: true}); len(diags) > 0 || len(ch.Releases) != 3 {
		t.Errorf("the next chart did not render: %v", diags)
	}
}

// TestIsolatedStartNotCounted: the chart's time bound counts from when
// its renderer is ready, not from when it was started: a child slow to
// start (the race detector, a loaded machine) still has the whole bound
// for the templates.
func TestIsolatedStartNotCounted(t *testing.T) {
	// The bound leaves the three releases seconds to render under the
	// race detector on a loaded machine; the delay is longer than it.
	testStartDelay = 6 * time.Second
	defer func() { testStartDelay = 0 }()
	ch, diags := Render(fixture, Options{Isolate: true, Timeout: 4 * time.Second})
	if len(diags) > 0 || len(ch.Releases) != 3 {
		t.Errorf("a renderer ready 6 s after it started could not render in a 4 s bound: %v", diags)
	}
}

// TestIsolatedMemoryStopped: a template that allocates without bound
// stops at the memory bound, whether it grows step by step (the watchdog)
// or asks for 2 GB at once (the address space limit on Linux), and the
// chart's other releases still render in a new child.
func TestIsolatedMemoryStopped(t *testing.T) {
	for name, tpl := range map[string]string{
		"doubling": `{{- $s := "x" }}{{ range until 40 }}{{ $s = print $s $s }}{{ end }}{{ len $s }}`,
		"chunks":   `{{- $d := dict }}{{ range $i := until 1000000 }}{{ $_ := set $d (print $i) (repeat 10000 "x") }}{{ end }}`,
		"repeat":   `a: {{ repeat 2000000000 "x" | len }}`,
		"until":    `{{- range until 100000000 }}x{{ end }}`,
	} {
		t.Run(name, func(t *testing.T) {
			ch, diags := Render(boundChart(t, tpl), Options{Isolate: true, MaxMemory: 64 << 20})
			d := boundDiag(t, diags)
			if !strings.Contains(d.Detail, "rendering used more than 64 MiB: stopped") {
				t.Errorf("want the memory bound, got %q", d.Detail)
			}
			if got := releases(ch); !reflect.DeepEqual(got, []string{"t", "t-good"}) {
				t.Errorf("releases rendered: %v, want [t t-good]", got)
			}
		})
	}
}

// TestIsolatedErrorsAsInProcess: a template error, the output bound and
// values given with --helm-set come back from the child as they do in
// process.
func TestIsolatedErrorsAsInProcess(t *testing.T) {
	bad := writeChart(t, map[string]string{"Chart.yaml": chartYAML,
		"templates/a.yaml": "a: 1\nb: {{ fail \"no\" }}\n"})
	big := writeChart(t, map[string]string{"Chart.yaml": chartYAML,
		"templates/a.yaml": "data: {{ repeat 2000 \"x\" }}\n"})
	for _, c := range []struct {
		dir  string
		opts Options
	}{{bad, Options{}}, {big, Options{MaxOutput: 1000}}} {
		_, want := Render(c.dir, c.opts)
		c.opts.Isolate = true
		_, got := Render(c.dir, c.opts)
		if len(want) != 1 || !reflect.DeepEqual(got, want) {
			t.Errorf("isolated %v, in process %v", got, want)
		}
	}
}

// TestMemoryBoundHow: memory that grows in small steps is seen by the
// child's watchdog; a single allocation of 2 GB is refused at once by the
// address space limit where there is one (Linux, but not in a race
// build).
func TestMemoryBoundHow(t *testing.T) {
	for _, c := range []struct {
		tpl   string
		fatal bool
	}{
		{`{{- $d := dict }}{{ range $i := until 1000000 }}{{ $_ := set $d (print $i) (repeat 10000 "x") }}{{ end }}`, false},
		{`a: {{ repeat 2000000000 "x" | len }}`, runtime.GOOS == "linux" && !raceEnabled},
	} {
		dir := boundChart(t, c.tpl)
		files, _ := readChart(dir)
		caps, _ := capabilities("")
		r := newRenderer(dir, files, caps, Options{Isolate: true, MaxMemory: 64 << 20})
		_, err := r.renderRelease("t-bad", map[string]any{"bad": true})
		r.close()
		var m errMemory
		if !errors.As(err, &m) || m.fatal != c.fatal || m.limit != 64<<20 {
			t.Errorf("%s: want the memory bound (fatal %v), got %#v", c.tpl, c.fatal, err)
		}
	}
}
