package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestHelmChart200Templates: a chart of 200 templates renders and scans
// in under a second.
func TestHelmChart200Templates(t *testing.T) {
	if testing.Short() {
		t.Skip("timing test")
	}
	dir := t.TempDir()
	write := func(n, s string) {
		p := filepath.Join(dir, n)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("Chart.yaml", "apiVersion: v2\nname: big\nversion: 0.1.0\n")
	write("values.yaml", "image: nginx:1.27\nprivileged: false\n")
	for i := range 200 {
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
	start := time.Now()
	_, r := scanJSON(t, dir)
	took := time.Since(start)
	t.Logf("200 templates rendered and scanned in %s (%d findings)", took, len(r.Findings))
	if r.Summary.Resources != 200 {
		t.Fatalf("want 200 resources, got %d", r.Summary.Resources)
	}
	if took > time.Second {
		t.Errorf("took %s, want under 1s", took)
	}
}
