package builtin

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/eksguard/eksguard/internal/frontend"
	"github.com/eksguard/eksguard/internal/rule"
	"github.com/eksguard/eksguard/internal/rule/ruletest"
	"github.com/eksguard/eksguard/internal/testutil/plangen"
)

func writePlan(b *testing.B, n int) string {
	b.Helper()
	p := filepath.Join(b.TempDir(), "plan.json")
	if err := os.WriteFile(p, plangen.Generate(n), 0o644); err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkLoadPlan10k measures the plan front-end alone: read, parse with
// positions, build the graph and resolve references.
func BenchmarkLoadPlan10k(b *testing.B) {
	p := writePlan(b, 10000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res := frontend.Load([]string{p}, frontend.Options{})
		if res.Graph.Len() != 10000 || len(res.Diags) != 0 {
			b.Fatalf("loaded %d resources, %v", res.Graph.Len(), res.Diags)
		}
	}
}

// BenchmarkScan10k is the whole hot path of `eksguard scan` on a
// 10,000-resource plan: load plus every built-in rule.
func BenchmarkScan10k(b *testing.B) {
	p := writePlan(b, 10000)
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

// BenchmarkRules10k isolates the rules over an already loaded graph.
func BenchmarkRules10k(b *testing.B) {
	p := writePlan(b, 10000)
	res := frontend.Load([]string{p}, frontend.Options{})
	cfg := &rule.Config{AsOf: ruletest.AsOf}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rule.Run(All(), res.Graph, cfg)
	}
}
