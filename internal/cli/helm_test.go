package cli

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/finding"
	"github.com/eksguard/eksguard/internal/report"
)

const (
	webChart    = "../frontend/testdata/charts/web"
	webRendered = "../frontend/testdata/charts-rendered"
)

// verdicts are a report's failed and unknown checks by rule and resource.
// A namespace-wide verdict (no default-deny policy, no quota) is reported
// on the namespace's first workload by file and line, which differs
// between a chart and its rendered files: it counts by namespace.
func verdicts(r *report.Report) []string {
	var out []string
	for _, f := range append(append([]finding.Finding(nil), r.Findings...), r.Unknowns...) {
		res := f.Resource
		if f.Path == "metadata.namespace" {
			if parts := strings.Split(res, "/"); len(parts) == 3 {
				res = "namespace " + parts[1]
			}
		}
		out = append(out, f.Status+" "+f.RuleID+" "+res)
	}
	sort.Strings(out)
	return out
}

// TestHelmChartVerdictsMatchRendered: scanning the chart gives the
// verdicts of scanning its helm template output (committed, one file per
// release), with positions in the chart's own files and each finding
// naming its release.
func TestHelmChartVerdictsMatchRendered(t *testing.T) {
	_, chart := scanJSON(t, webChart)
	_, rendered := scanJSON(t, webRendered)
	got, want := verdicts(chart), verdicts(rendered)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("chart verdicts differ from rendered:\nchart:\n%s\nrendered:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(got) == 0 {
		t.Fatal("no findings: the fixture is meant to fail checks")
	}
	releases := map[string]bool{}
	for _, f := range chart.Findings {
		if !strings.HasPrefix(f.File, webChart+"/templates/") && !strings.HasPrefix(f.File, webChart+"/charts/cache/templates/") || f.Line < 1 {
			t.Errorf("%s %s at %s:%d, not a template line", f.RuleID, f.Resource, f.File, f.Line)
		}
		if len(f.IntroducedBy) == 0 || !strings.HasPrefix(f.IntroducedBy[0], "helm release ") {
			t.Errorf("%s %s: introduced by %v names no release", f.RuleID, f.Resource, f.IntroducedBy)
		} else {
			releases[f.IntroducedBy[0]] = true
		}
		if f.Path == "spec.template.spec.containers[0].securityContext.privileged" && f.Line != 22 {
			t.Errorf("privileged reported at line %d, want deployment.yaml:22", f.Line)
		}
	}
	if len(releases) != 3 {
		t.Errorf("want findings of 3 releases, got %v", releases)
	}
}

// TestHelmChartWinsOverRendered: the chart and its rendered output in one
// scan count once, and a notice says the rendered files were not read.
func TestHelmChartWinsOverRendered(t *testing.T) {
	_, alone := scanJSON(t, webChart)
	_, both := scanJSON(t, webRendered, webChart)
	if a, b := verdicts(alone), verdicts(both); strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Fatalf("chart and rendered output counted twice:\n%d verdicts alone, %d together", len(a), len(b))
	}
	n := 0
	for _, d := range both.Notices {
		if strings.Contains(d.Summary, "helm template output not read") {
			n++
		}
	}
	if n != 3 {
		t.Errorf("want a notice per rendered file, got %d: %v", n, both.Notices)
	}
}

// TestHelmBoundsInScan: a chart that loops and a chart that allocates
// without bound are stopped, each reported at its Chart.yaml as left
// unread, and a chart scanned after them gives its verdicts as when
// scanned alone: each chart renders in a child process of its own.
func TestHelmBoundsInScan(t *testing.T) {
	dir := t.TempDir()
	chart := func(name, tpl string) string {
		p := filepath.Join(dir, name)
		for f, s := range map[string]string{"Chart.yaml": "apiVersion: v2\nname: " + name + "\nversion: 0.1.0\n", "templates/a.yaml": tpl} {
			if err := os.MkdirAll(filepath.Dir(filepath.Join(p, f)), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(p, f), []byte(s), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return p
	}
	loop := chart("loop", "{{- range until 100000 }}{{ range until 100000 }}{{ end }}{{ end }}\n")
	alloc := chart("alloc", `{{- $d := dict }}{{ range $i := until 1000000 }}{{ $_ := set $d (print $i) (repeat 10000 "x") }}{{ end }}`+"\n")
	_, alone := scanJSON(t, webChart)
	code, r := scanJSON(t, "--helm-timeout", "2s", "--helm-memory", "64", loop, alloc, webChart)
	if code != ExitGate {
		t.Errorf("exit status %d, want %d (the web chart's findings fail the gate)", code, ExitGate)
	}
	want := map[string]string{
		filepath.ToSlash(loop) + "/Chart.yaml":  "rendering the chart took longer than 2s: stopped",
		filepath.ToSlash(alloc) + "/Chart.yaml": "rendering used more than 64 MiB: stopped",
	}
	for _, e := range r.Errors {
		if w, ok := want[e.File]; ok && strings.Contains(e.Detail, w) && e.Unread != nil {
			delete(want, e.File)
		}
	}
	if len(want) > 0 {
		t.Errorf("missing errors %v in %+v", want, r.Errors)
	}
	if a, b := verdicts(alone), verdicts(r); len(a) == 0 || strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Errorf("the chart after the stopped ones: %d verdicts, %d alone", len(b), len(a))
	}
	for _, bad := range [][]string{{"--helm-timeout", "0s"}, {"--helm-memory", "0"}} {
		if code, _, _ := run(t, "", append(append([]string{"scan"}, bad...), webChart)...); code != ExitUsage {
			t.Errorf("%v: exit status %d, want %d", bad, code, ExitUsage)
		}
	}
}

// TestHelmSetReachesScan: scan renders charts with --helm-set (the scan
// command takes its front-end options through scan.Options).
func TestHelmSetReachesScan(t *testing.T) {
	fromCache := func(r *report.Report) int {
		n := 0
		for _, f := range r.Findings {
			if strings.Contains(f.File, "/charts/cache/") {
				n++
			}
		}
		return n
	}
	_, with := scanJSON(t, webChart)
	_, without := scanJSON(t, "--helm-set", "cache.enabled=false", webChart)
	if fromCache(with) == 0 || fromCache(without) != 0 {
		t.Errorf("--helm-set cache.enabled=false: %d findings in the cache dependency, %d without it", fromCache(without), fromCache(with))
	}
}
