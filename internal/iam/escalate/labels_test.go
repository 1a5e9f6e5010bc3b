package escalate

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestFixtureHopLabels: every hop the analysis makes over the fixtures
// under testdata/ carries a label the documentation lists: one of the
// Labels of Methods() (cluster-admin methods included), or
// "administrator".
func TestFixtureHopLabels(t *testing.T) {
	known := map[string]bool{"administrator": true}
	for _, m := range Methods() {
		for _, l := range m.Labels() {
			known[l] = true
		}
	}
	for _, m := range clusterAdminMethods {
		for _, l := range m.Labels() {
			known[l] = true
		}
	}
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	unknown := map[string]map[string]bool{} // label -> fixtures making it
	used := map[string]bool{}
	fixtures := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		fixtures++
		a := analyzeDir(t, filepath.Join("testdata", e.Name()))
		for _, h := range a.Hops {
			used[h.Method] = true
			if known[h.Method] {
				continue
			}
			if unknown[h.Method] == nil {
				unknown[h.Method] = map[string]bool{}
			}
			unknown[h.Method][e.Name()] = true
		}
	}
	if fixtures == 0 {
		t.Fatal("no fixtures under testdata/")
	}
	if len(unknown) > 0 {
		var lines []string
		for _, l := range sortedSet(unknown) {
			fx := make([]string, 0, len(unknown[l]))
			for f := range unknown[l] {
				fx = append(fx, f)
			}
			sort.Strings(fx)
			where := strings.Join(fx, ", ")
			if len(fx) > 3 {
				where = fmt.Sprintf("%s and %d more", strings.Join(fx[:3], ", "), len(fx)-3)
			}
			lines = append(lines, l+" (in "+where+")")
		}
		t.Errorf("%d hop labels made over the fixtures are not the Labels of any method (nor \"administrator\"):\n  %s",
			len(lines), strings.Join(lines, "\n  "))
	}
	var unused []string
	for l := range known {
		if !used[l] {
			unused = append(unused, l)
		}
	}
	sort.Strings(unused)
	if len(unused) > 0 {
		t.Logf("labels no fixture exercises: %s", strings.Join(unused, ", "))
	}
}

func sortedSet(m map[string]map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
