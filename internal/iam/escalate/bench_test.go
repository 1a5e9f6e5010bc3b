package escalate

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/eksguard/eksguard/internal/frontend"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/testutil/iamgen"
)

// benchNow is the clock of the benchmarks: date conditions are decided.
var benchNow = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)

func writeIAMPlan(b *testing.B, n int) (string, iamgen.Stats) {
	b.Helper()
	data, st := iamgen.Generate(n)
	p := filepath.Join(b.TempDir(), "iam.json")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		b.Fatal(err)
	}
	return p, st
}

func loadIAMPlan(b *testing.B, p string) *graph.Graph {
	res := frontend.Load([]string{p}, frontend.Options{})
	if len(res.Diags) != 0 {
		b.Fatalf("load: %v", res.Diags)
	}
	return res.Graph
}

// BenchmarkIAMPathsLoad1000 measures reading the generated estate (1,000
// principals, 5,000 policies as plan JSON) into the graph.
func BenchmarkIAMPathsLoad1000(b *testing.B) {
	p, st := writeIAMPlan(b, 1000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if g := loadIAMPlan(b, p); g.Len() != st.Resources {
			b.Fatalf("loaded %d resources, want %d", g.Len(), st.Resources)
		}
	}
}

// BenchmarkIAMPaths1000 measures the full path analysis over an already
// loaded estate: the IAM model (policies read and resolved per
// principal), every escalation method for every principal, and the
// shortest paths. Each iteration gets a freshly loaded graph (both are
// computed once per graph); loading is not timed.
func BenchmarkIAMPaths1000(b *testing.B) {
	p, st := writeIAMPlan(b, 1000)
	if st.Principals != 1000 || st.Policies != 5000 {
		b.Fatalf("generated %d principals, %d policies", st.Principals, st.Policies)
	}
	b.ReportAllocs()
	b.ResetTimer()
	var paths, hops int
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		g := loadIAMPlan(b, p)
		b.StartTimer()
		a := Analyze(g, Config{Now: benchNow})
		paths, hops = len(a.Paths), len(a.Hops)
	}
	b.ReportMetric(float64(paths), "paths")
	b.ReportMetric(float64(hops), "hops")
}

// TestIAMGenShape keeps the generated estate what the benchmark claims:
// 1,000 principals, 5,000 policies, a mix of certain and possible paths,
// administrators, and chains longer than one hop.
func TestIAMGenShape(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a generated estate")
	}
	data, st := iamgen.Generate(1000)
	if st.Principals != 1000 || st.Policies != 5000 {
		t.Fatalf("generated %d principals, %d policies", st.Principals, st.Policies)
	}
	p := filepath.Join(t.TempDir(), "iam.json")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	res := frontend.Load([]string{p}, frontend.Options{})
	if len(res.Diags) != 0 {
		t.Fatalf("load: %v", res.Diags)
	}
	a := Analyze(res.Graph, Config{Now: benchNow})
	certain, possible, long := 0, 0, 0
	for _, pa := range a.Paths {
		if pa.Certain.String() == "true" {
			certain++
		} else {
			possible++
		}
		if len(pa.Hops) >= 3 {
			long++
		}
	}
	t.Logf("%d nodes, %d hops, %d administrators, %d paths (%d certain, %d possible, %d of 3+ hops)",
		len(a.Nodes), len(a.Hops), len(a.Admins), len(a.Paths), certain, possible, long)
	if certain == 0 || possible == 0 || long == 0 || len(a.Admins) == 0 {
		t.Error("the estate should hold certain, possible and long paths, and administrators")
	}
}
