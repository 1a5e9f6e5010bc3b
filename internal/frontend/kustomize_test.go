package frontend

import (
	"sort"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/diag"
)

// TestKustomizeOverlayAndBase: scanning a tree that holds an overlay, its
// base and a component builds the overlay; the base and the component are
// built through it (a notice each), not also on their own, so every
// object is counted once, placed in the file that declares it, and
// named as introduced by the overlay.
func TestKustomizeOverlayAndBase(t *testing.T) {
	res := Load([]string{"kustomize/testdata/app"}, Options{})
	var through []string
	for _, d := range res.Diags {
		switch {
		case d.Severity == diag.Notice && strings.Contains(d.Summary, "is built through"):
			through = append(through, d.File)
		case d.Severity == diag.Error:
			t.Errorf("unexpected error: %s", d)
		}
	}
	if len(through) != 2 || !strings.HasSuffix(through[0], "app/base") || !strings.HasSuffix(through[1], "app/components/probes") {
		t.Errorf("built-through notices: %v", through)
	}
	seen := map[string]int{}
	for _, r := range res.Graph.Resources() {
		seen[r.Address]++
		// Objects come from the base's files; a generated ConfigMap from
		// the overlay's configMapGenerator entry.
		if !strings.Contains(r.Range.File, "app/base/") && !strings.HasSuffix(r.Range.File, "overlays/prod/kustomization.yaml") {
			t.Errorf("%s placed at %s, want a file of the base or the overlay's generator", r.Address, r.Range.File)
		}
		if len(r.Module) == 0 || !strings.Contains(r.Module[0].Name, "overlays/prod") {
			t.Errorf("%s introduced by %v, want the overlay", r.Address, r.Module)
		}
	}
	if len(seen) == 0 {
		t.Fatal("no objects built")
	}
	for a, n := range seen {
		if n != 1 {
			t.Errorf("%s counted %d times", a, n)
		}
	}
}

// TestKustomizationFilesReadOnce: resource files a kustomization names in
// another directory (one with no kustomization of its own) are its
// inputs: they are not read again as manifests, so nothing counts twice.
func TestKustomizationFilesReadOnce(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"app/kustomization.yaml": "resources:\n  - manifests/web.yaml\nnamePrefix: prod-\n",
		"app/manifests/web.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n",
		// A manifest beside it that the kustomization does not name is read.
		"app/manifests/other.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n",
	})
	res := Load([]string{dir}, Options{})
	var got []string
	for _, r := range res.Graph.Resources() {
		got = append(got, r.Address)
	}
	sort.Strings(got)
	if strings.Join(got, ",") != "ConfigMap/default/other,ConfigMap/default/prod-web" {
		t.Errorf("objects %v, want the built prod-web and the unnamed other, once each", got)
	}
}
