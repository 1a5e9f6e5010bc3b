package scan

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/eksguard/eksguard/internal/rule"
	"github.com/eksguard/eksguard/internal/rule/ruletest"
	"github.com/eksguard/eksguard/internal/testutil/plangen"
)

// BenchmarkScanRun10k is scan.Run on a 10,000-resource plan: loading,
// every built-in rule, the report with its findings, passes counted per
// rule, the escalation paths.
func BenchmarkScanRun10k(b *testing.B) {
	p := filepath.Join(b.TempDir(), "plan.json")
	if err := os.WriteFile(p, plangen.Generate(10000), 0o644); err != nil {
		b.Fatal(err)
	}
	o := Options{Paths: []string{p}, Config: rule.Config{AsOf: ruletest.AsOf}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := Run(o)
		if r.Summary.Resources != 10000 || r.Summary.Passed == 0 || len(r.Findings) == 0 {
			b.Fatalf("summary %+v", r.Summary)
		}
	}
}
