package escalate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFixtures runs every case under testdata/: the files of a case
// directory are scanned together, and expect.txt lists, one per line, every
// path the analysis must find (Path.String() followed by its certainty:
// true, or unknown for a possible path), in the order Analysis.Paths has
// them. An empty expect.txt asserts that no path is found (a negative
// case). Lines starting with # are comments.
func TestFixtures(t *testing.T) {
	dirs, err := filepath.Glob("testdata/*/expect.txt")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, exp := range dirs {
		dir := filepath.Dir(exp)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			data, err := os.ReadFile(exp)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, ln := range strings.Split(string(data), "\n") {
				if ln = strings.TrimSpace(ln); ln != "" && !strings.HasPrefix(ln, "#") {
					want = append(want, ln)
				}
			}
			a := analyzeDir(t, dir)
			var got []string
			for _, p := range a.Paths {
				got = append(got, p.String()+" "+p.Certain.String())
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("paths\n got:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
		})
	}
}
