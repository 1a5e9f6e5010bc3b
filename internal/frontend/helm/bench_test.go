package helm

import (
	"fmt"
	"testing"
)

// BenchmarkRender200Templates renders a chart of 200 Deployment templates
// in this process and in a child process, to show what isolation costs
// per chart (a process start and the chart sent over a pipe).
func BenchmarkRender200Templates(b *testing.B) {
	files := map[string]string{"Chart.yaml": chartYAML, "values.yaml": "image: nginx:1.27\n"}
	for i := range 200 {
		files[fmt.Sprintf("templates/d%03d.yaml", i)] = fmt.Sprintf("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-%d\n"+
			"spec:\n  template:\n    spec:\n      containers:\n        - name: c\n          image: {{ .Values.image }}\n", i)
	}
	dir := writeChart(b, files)
	for _, isolate := range []bool{false, true} {
		name := "in-process"
		if isolate {
			name = "isolated"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				ch, diags := Render(dir, Options{Isolate: isolate})
				if len(diags) > 0 || len(ch.Docs) != 200 {
					b.Fatalf("%d documents: %v", len(ch.Docs), diags)
				}
			}
		})
	}
}
