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
// does when no raw policy needs the document (Decode). ns/resource and
// B/op per resource must stay flat across the sizes: a rise from one size
// to the next is a superlinear part (resolving a reference once scanned
// every instance of the configuration address in every module instance:
// 22 s at 50k, 138 s at 100k).
func BenchmarkPlanScale(b *testing.B) {
	scaleBench(b, func(b *testing.B, data []byte, g *graph.Graph) {
		if _, ok := Decode(g, data, "plan.json"); !ok {
			b.Fatal("not decoded")
		}
	})
}

// BenchmarkPlanScaleParsed is the path taken when raw policies need the
// document: parsed whole, then Load.
func BenchmarkPlanScaleParsed(b *testing.B) {
	scaleBench(b, func(b *testing.B, data []byte, g *graph.Graph) {
		root, err := jsonpos.Parse(data, "plan.json")
		if err != nil {
			b.Fatal(err)
		}
		if d := Load(g, root, "plan.json"); len(d) != 0 {
			b.Fatal(d)
		}
	})
}

func scaleBench(b *testing.B, read func(*testing.B, []byte, *graph.Graph)) {
	for _, n := range []int{10000, 50000, 100000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			data := scalePlan(n)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				g := graph.New()
				read(b, data, g)
				if g.Len() != n {
					b.Fatalf("%d resources, want %d", g.Len(), n)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/resource")
		})
	}
}
