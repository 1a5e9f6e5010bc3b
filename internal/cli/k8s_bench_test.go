package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/testutil/k8sgen"
)

// writeK8s5000 writes issue 21's Kubernetes case: 5,000 Deployments in 100
// namespaces (with each namespace's policies, quota, limits and service
// account) and 500 Services, five per namespace, one namespace in ten
// exposing one through a load balancer. EKSGUARD_BENCH_K8S=FILE keeps a
// copy, to time the eksguard binary on it (docs/performance.md).
func writeK8s5000(tb testing.TB) string {
	tb.Helper()
	data := k8s5000()
	p := filepath.Join(tb.TempDir(), "k8s5000.yaml")
	for _, f := range []string{p, os.Getenv("EKSGUARD_BENCH_K8S")} {
		if f == "" {
			continue
		}
		if err := os.WriteFile(f, data, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return p
}

func k8s5000() []byte {
	var b strings.Builder
	b.Write(k8sgen.Generate(100, 50))
	for n := range 100 {
		for s := range 5 {
			typ := "ClusterIP"
			if s == 4 && n%10 == 0 {
				typ = "LoadBalancer"
			}
			fmt.Fprintf(&b, `---
apiVersion: v1
kind: Service
metadata:
  name: svc-%[2]d
  namespace: team-%04[1]d
spec:
  type: %[3]s
  selector:
    app.kubernetes.io/name: svc-%[2]d
  ports:
    - port: 80
      targetPort: 8080
`, n, s, typ)
		}
	}
	return []byte(b.String())
}

// TestK8s5000Input: the benchmark's input is the case.
func TestK8s5000Input(t *testing.T) {
	data := string(k8s5000())
	for kind, want := range map[string]int{"Deployment": 5000, "Service": 500, "Namespace": 100} {
		if got := strings.Count(data, "\nkind: "+kind+"\n"); got != want {
			t.Errorf("%d %ss, want %d", got, kind, want)
		}
	}
}

// benchK8s5000 runs the whole scan command on the 5,000-Deployment case
// with one report format on stdout, as a CI job would.
func benchK8s5000(b *testing.B, format string) {
	p := writeK8s5000(b)
	env := Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard}
	args := []string{"scan", "--format", format, "--fail-on", "none", p}
	if code := Main(args, env); code != 0 {
		b.Fatalf("scan exited %d", code)
	}
	b.ReportAllocs()
	for b.Loop() {
		Main(args, env)
	}
}

// BenchmarkK8s5000JSON is the target: the JSON report of the
// 5,000-Deployment scan (docs/performance.md).
func BenchmarkK8s5000JSON(b *testing.B)  { benchK8s5000(b, "json") }
func BenchmarkK8s5000SARIF(b *testing.B) { benchK8s5000(b, "sarif") }
func BenchmarkK8s5000JUnit(b *testing.B) { benchK8s5000(b, "junit") }
