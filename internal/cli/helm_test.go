package cli

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
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

// renderedVerdicts are the verdicts of scanning each file of dir on its
// own: each holds one release of a chart (or one overlay), and releases
// of one chart are deployed instead of each other, never beside each
// other, so each is judged alone, as the chart's scan judges them.
func renderedVerdicts(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		_, r := scanJSON(t, filepath.Join(dir, e.Name()))
		out = append(out, verdicts(r)...)
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
	got, want := verdicts(chart), renderedVerdicts(t, webRendered)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("chart verdicts differ from rendered:\nchart:\n%s\nrendered:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(got) == 0 {
		t.Fatal("no findings: the fixture is meant to fail checks")
	}
	releases := map[string]bool{}
	privileged := false
	for _, f := range chart.Findings {
		if !strings.HasPrefix(f.File, webChart+"/templates/") && !strings.HasPrefix(f.File, webChart+"/charts/cache/templates/") || f.Line < 1 {
			t.Errorf("%s %s at %s:%d, not a template line", f.RuleID, f.Resource, f.File, f.Line)
		}
		if len(f.IntroducedBy) == 0 || !strings.HasPrefix(f.IntroducedBy[0], "helm release ") {
			t.Errorf("%s %s: introduced by %v names no release", f.RuleID, f.Resource, f.IntroducedBy)
		} else {
			releases[f.IntroducedBy[0]] = true
		}
		if f.Path == "spec.template.spec.containers.0.securityContext.privileged" {
			if f.Line != 22 {
				t.Errorf("privileged reported at line %d, want deployment.yaml:22", f.Line)
			}
			if f.ValueFrom == nil || f.ValueFrom.File != webChart+"/values.yaml" || f.ValueFrom.Line != 6 {
				t.Errorf("%s privileged: value from %v, want values.yaml:6", f.RuleID, f.ValueFrom)
			}
			privileged = true
		}
	}
	if len(releases) != 3 {
		t.Errorf("want findings of 3 releases, got %v", releases)
	}
	if !privileged {
		t.Error("no finding on the privileged container")
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

const (
	appKustomization = "../frontend/kustomize/testdata/app"
	appBuilt         = "../frontend/kustomize/testdata/app-built"
)

// TestKustomizationVerdictsMatchBuilt: scanning the overlay, its base and
// its component gives the verdicts of scanning kustomize build's output
// (committed by scripts/render-fixtures.sh), with every finding placed in
// a source file of the kustomization and naming the overlay.
func TestKustomizationVerdictsMatchBuilt(t *testing.T) {
	_, src := scanJSON(t, appKustomization)
	_, built := scanJSON(t, appBuilt)
	got, want := verdicts(src), verdicts(built)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("kustomization verdicts differ from built:\nsource:\n%s\nbuilt:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(got) == 0 {
		t.Fatal("no findings: the fixture is meant to fail checks")
	}
	patched := false
	for _, f := range src.Findings {
		// The container's securityContext is written by the overlay's
		// patch, not by the base.
		if strings.HasSuffix(f.Path, ".securityContext") && f.File == appKustomization+"/overlays/prod/deployment-patch.yaml" && f.Line == 11 {
			patched = true
		}
		if !strings.HasPrefix(f.File, appKustomization+"/") || strings.HasPrefix(f.File, appBuilt) || f.Line < 1 {
			t.Errorf("%s %s at %s:%d, not a source line", f.RuleID, f.Resource, f.File, f.Line)
		}
		if len(f.IntroducedBy) == 0 || !strings.Contains(f.IntroducedBy[0], "overlays/prod") {
			t.Errorf("%s %s: introduced by %v names no overlay", f.RuleID, f.Resource, f.IntroducedBy)
		}
	}
	if !patched {
		t.Error("no securityContext finding placed at the patch that writes it (overlays/prod/deployment-patch.yaml:11)")
	}
}

// TestAppsExample: the apps example (a chart with a vendored dependency
// and two environment values files, a kustomize overlay with a component
// and a patch) gives the verdicts of scanning what helm template and
// kustomize build print for it (committed by scripts/render-fixtures.sh),
// and its findings point at the lines a user edits: the template line,
// the values line a value came from, the patch line that wrote a field.
func TestAppsExample(t *testing.T) {
	const dir = "../../examples/apps/"
	code, src := scanJSON(t, dir)
	if code != ExitGate || len(src.Errors) != 0 {
		t.Fatalf("exit %d, errors %v", code, src.Errors)
	}
	if got, want := verdicts(src), renderedVerdicts(t, "testdata/apps-rendered"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("verdicts differ from helm template and kustomize build output:\nsource:\n%s\nrendered:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	at := map[string]string{}
	for _, f := range append(append([]finding.Finding(nil), src.Findings...), src.Unknowns...) {
		where := strings.TrimPrefix(f.File, dir) + ":" + strconv.Itoa(f.Line)
		if f.ValueFrom != nil {
			where += " from " + strings.TrimPrefix(f.ValueFrom.File, dir) + ":" + strconv.Itoa(int(f.ValueFrom.Line))
		}
		at[f.RuleID+" "+f.Resource] = where
	}
	for key, want := range map[string]string{
		// A capability the staging values add, through toYaml.
		"K8S-016 Deployment/default/orders-staging-api": "charts/orders/templates/deployment.yaml:27 from charts/orders/values-staging.yaml:6",
		"K8S-015 Deployment/default/orders-staging-api": "charts/orders/templates/deployment.yaml:27 from charts/orders/values-staging.yaml:4",
		// The dependency's own values, read through its template.
		"K8S-018 StatefulSet/default/orders-queue": "charts/orders/charts/queue/templates/statefulset.yaml:20 from charts/orders/charts/queue/values.yaml:4",
		"K8S-023 StatefulSet/default/orders-queue": "charts/orders/charts/queue/templates/statefulset.yaml:19 from charts/orders/charts/queue/values.yaml:1",
		// The parent's prod values switch on the dependency's hostPath.
		"K8S-013 StatefulSet/default/orders-prod-queue": "charts/orders/charts/queue/templates/statefulset.yaml:32",
		// latest comes from values-prod.yaml, but joined with the repository.
		"K8S-022 Deployment/default/orders-prod-api": "charts/orders/templates/deployment.yaml:24",
		// The overlay's patch runs the worker as root.
		"K8S-018 Deployment/billing/prod-billing-worker":     "k8s/overlays/prod/worker-patch.yaml:14",
		"K8S-035 ServiceAccount/billing/prod-billing-worker": "k8s/base/worker.yaml:6",
		"K8S-002 Namespace/billing":                          "k8s/base/namespace.yaml:4",
	} {
		if at[key] != want {
			t.Errorf("%s at %q, want %q", key, at[key], want)
		}
	}
	// The component's hardening holds: nothing else on the worker.
	for key := range at {
		if strings.Contains(key, "prod-billing-worker") && !strings.HasPrefix(key, "K8S-018 ") && !strings.HasPrefix(key, "K8S-035 ") {
			t.Errorf("unexpected finding %s at %s", key, at[key])
		}
	}
}

// TestAlternativesJudgedApart: releases of one chart (one per values file)
// and sibling overlays of one base are deployed instead of each other, so
// a namespace-wide object of one (the default-deny NetworkPolicy of
// web-prod, of overlays/prod) does not cover the workloads of another.
func TestAlternativesJudgedApart(t *testing.T) {
	_, chart := scanJSON(t, webChart)
	denied := map[string]bool{}
	for _, f := range chart.Findings {
		if f.RuleID == "K8S-001" {
			denied[f.IntroducedBy[0]] = true
		}
	}
	if !denied["helm release web"] || !denied["helm release web-ci-hostnet (ci/hostnet-values.yaml)"] || len(denied) != 2 {
		t.Errorf("K8S-001 (no default deny) for %v, want the releases web and web-ci-hostnet, not web-prod", denied)
	}

	dir := writeFiles(t, map[string]string{
		"base/kustomization.yaml":             "resources:\n  - app.yaml\n",
		"base/app.yaml":                       "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: app:1\n",
		"overlays/prod/kustomization.yaml":    "namespace: shop\nresources:\n  - ../../base\n  - deny.yaml\n",
		"overlays/prod/deny.yaml":             "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n",
		"overlays/staging/kustomization.yaml": "namespace: shop\nresources:\n  - ../../base\n",
	})
	_, r := scanJSON(t, dir)
	var got []string
	for _, f := range r.Findings {
		if f.RuleID == "K8S-001" {
			got = append(got, f.IntroducedBy[0])
		}
	}
	if len(got) != 1 || !strings.HasSuffix(got[0], "overlays/staging") {
		t.Errorf("K8S-001 for %v, want overlays/staging alone", got)
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
