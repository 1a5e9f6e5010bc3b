package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeBigChart lays out a chart of n Deployment templates under dir.
func writeBigChart(tb testing.TB, dir string, n int) {
	tb.Helper()
	write := func(name, s string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	write("Chart.yaml", "apiVersion: v2\nname: big\nversion: 0.1.0\n")
	write("values.yaml", "image: nginx:1.27\nprivileged: false\n")
	for i := range n {
		write(fmt.Sprintf("templates/d%03d.yaml", i), fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-%[1]d
spec:
  selector:
    matchLabels: {app: a%[1]d}
  template:
    metadata:
      labels: {app: a%[1]d}
    spec:
      containers:
        - name: c
          image: {{ .Values.image }}
          securityContext:
            privileged: {{ .Values.privileged }}
`, i))
	}
}

// TestHelmChart200Templates: every template of a 200-template chart is
// rendered and scanned (BenchmarkHelmChart200Templates measures how fast).
func TestHelmChart200Templates(t *testing.T) {
	dir := t.TempDir()
	writeBigChart(t, dir, 200)
	_, r := scanJSON(t, dir)
	if r.Summary.Resources != 200 {
		t.Fatalf("want 200 resources, got %d", r.Summary.Resources)
	}
}

// BenchmarkHelmChart200Templates measures rendering a 200-template chart
// and scanning it, the whole scan command with the JSON report; the goal
// is under 1 s (docs/performance.md).
func BenchmarkHelmChart200Templates(b *testing.B) {
	dir := b.TempDir()
	writeBigChart(b, dir, 200)
	env := Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard}
	args := []string{"scan", "--format", "json", "--fail-on", "none", dir}
	if code := Main(args, env); code != 0 {
		b.Fatalf("scan exited %d", code)
	}
	for b.Loop() {
		Main(args, env)
	}
}
