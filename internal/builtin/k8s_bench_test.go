package builtin

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/eksguard/eksguard/internal/frontend"
	"github.com/eksguard/eksguard/internal/rule"
	"github.com/eksguard/eksguard/internal/rule/ruletest"
	"github.com/eksguard/eksguard/internal/testutil/k8sgen"
)

func writeManifests(b *testing.B, namespaces, perNS int) string {
	b.Helper()
	p := filepath.Join(b.TempDir(), "rendered.yaml")
	if err := os.WriteFile(p, k8sgen.Generate(namespaces, perNS), 0o644); err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkLoadK8s5000 measures the Kubernetes front-end alone on 5,000
// Deployments across 500 namespaces with their policies (8,000 objects).
func BenchmarkLoadK8s5000(b *testing.B) {
	p := writeManifests(b, 500, 10)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res := frontend.Load([]string{p}, frontend.Options{})
		if res.Graph.Len() != 8000 || len(res.Diags) != 0 {
			b.Fatalf("loaded %d objects, %v", res.Graph.Len(), res.Diags)
		}
	}
}

// BenchmarkScanK8s5000 is load plus every built-in rule.
func BenchmarkScanK8s5000(b *testing.B) {
	p := writeManifests(b, 500, 10)
	cfg := &rule.Config{AsOf: ruletest.AsOf}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res := frontend.Load([]string{p}, frontend.Options{})
		if got := rule.Run(All(), res.Graph, cfg); len(got) == 0 {
			b.Fatal("no verdicts")
		}
	}
}

// BenchmarkRulesK8s5000 isolates the rules over the loaded graph.
func BenchmarkRulesK8s5000(b *testing.B) {
	p := writeManifests(b, 500, 10)
	res := frontend.Load([]string{p}, frontend.Options{})
	cfg := &rule.Config{AsOf: ruletest.AsOf}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rule.Run(All(), res.Graph, cfg)
	}
}

// BenchmarkScanK8s10000 doubles the input to show growth is linear.
func BenchmarkScanK8s10000(b *testing.B) {
	p := writeManifests(b, 1000, 10)
	cfg := &rule.Config{AsOf: ruletest.AsOf}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res := frontend.Load([]string{p}, frontend.Options{})
		rule.Run(All(), res.Graph, cfg)
	}
}
