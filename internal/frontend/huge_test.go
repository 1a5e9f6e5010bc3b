//go:build !race

package frontend

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eksguard/eksguard/internal/testutil/k8sgen"
)

// TestHugeInputs feeds files of about 100 MB and pathological shapes
// through the loader: each must end with a result or a clear error, in
// bounded time, with the other inputs of the scan still read. It is
// excluded under the race detector, which makes it take minutes; .ci/run
// runs it on its own.
func TestHugeInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("writes about 400 MB of temporary files")
	}
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	small := write("small.yaml", []byte("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: still-read\n"))

	// ~100 MB of manifests (6,200 namespaces, 62,000 Deployments).
	stream := write("stream.yaml", k8sgen.Generate(6200, 10))
	// One 100 MB scalar.
	scalar := write("scalar.yaml", append([]byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: "),
		append(bytes.Repeat([]byte("x"), 100<<20), '\n')...))
	// One document of 5 million list items: past the per-document bound.
	var b strings.Builder
	b.WriteString("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: wide\ndata:\n  items:\n")
	for b.Len() < 40<<20 {
		b.WriteString("    - a\n")
	}
	wide := write("wide.yaml", []byte(b.String()))
	// 100 MB of JSON nested 100,000 deep.
	deep := write("deep.json", append(bytes.Repeat([]byte("["), 100_000), bytes.Repeat([]byte("]"), 100_000)...))

	cases := []struct {
		name    string
		path    string
		wantErr string // "" when the file must load
		objects int
	}{
		{"manifest stream", stream, "", 6200*10 + 6200*6},
		{"100 MB scalar", scalar, "", 1},
		{"5M-value document", wide, "too large", 0},
		{"deep JSON", deep, "", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			res := Load([]string{tc.path, small}, Options{})
			took := time.Since(start)
			if took > 90*time.Second {
				t.Errorf("took %v", took)
			}
			t.Logf("%s: %v, %d objects, diagnostics %v", tc.name, took, res.Graph.Len(), res.Diags)
			if got := res.Graph.Len() - 1; got != tc.objects {
				t.Errorf("loaded %d objects besides small.yaml, want %d", got, tc.objects)
			}
			if len(res.Graph.ByAddress("Namespace/still-read")) != 1 {
				t.Error("the other input of the scan was not read")
			}
			switch {
			case tc.wantErr == "" && tc.name != "deep JSON" && len(res.Diags) > 0:
				t.Errorf("unexpected diagnostics %v", res.Diags)
			case tc.wantErr != "" && (len(res.Diags) != 1 || !strings.Contains(res.Diags[0].String(), tc.wantErr)):
				t.Errorf("want one %q error, got %v", tc.wantErr, res.Diags)
			case tc.name == "deep JSON" && (len(res.Diags) != 1 || res.Diags[0].File == ""):
				t.Errorf("deep JSON: want one error naming the file, got %v", res.Diags)
			}
		})
	}
}
