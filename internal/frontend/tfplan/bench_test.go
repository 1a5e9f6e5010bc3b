package tfplan

import (
	"fmt"
	"sync"
	"testing"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/jsonpos"
	"github.com/eksguard/eksguard/internal/testutil/plangen"
)

var (
	scalePlansMu sync.Mutex
	scalePlans   = map[int][]byte{}
)

// scalePlan generates each size once per process: -count runs every size
// again, and generating the largest takes seconds.
func scalePlan(n int) []byte {
	scalePlansMu.Lock()
	defer scalePlansMu.Unlock()
	if p, ok := scalePlans[n]; ok {
		return p
	}
	p := plangen.Generate(n)
	scalePlans[n] = p
	return p
}

// BenchmarkPlanScale reads plangen plans of three sizes as the front-end
// does (positioned parse, then Load). ns/resource and B/resource must stay
// flat across the sizes: a rise from one size to the next is a superlinear
// part (resolving a reference once scanned every instance of the
// configuration address in every module instance, 138 s at 100k).
func BenchmarkPlanScale(b *testing.B) {
	for _, n := range []int{10000, 50000, 100000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			data := scalePlan(n)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				root, err := jsonpos.Parse(data, "plan.json")
				if err != nil {
					b.Fatal(err)
				}
				g := graph.New()
				if d := Load(g, root, "plan.json"); len(d) != 0 {
					b.Fatal(d)
				}
				if g.Len() != n {
					b.Fatalf("%d resources, want %d", g.Len(), n)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/resource")
		})
	}
}
