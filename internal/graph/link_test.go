package graph

import (
	"fmt"
	"testing"
)

// Link keeps each (from, to, attr) once, whether the resource has a few
// edges (found by reading them) or many (found in its set).
func TestLinkDeduplicates(t *testing.T) {
	for _, n := range []int{3, hubEdges, 5 * hubEdges} {
		g := New()
		from := g.Add(&Resource{Type: "aws_eks_cluster", Name: "a", Address: "aws_eks_cluster.a"})
		var to []*Resource
		for i := 0; i < n; i++ {
			to = append(to, g.Add(&Resource{Type: "aws_subnet", Name: fmt.Sprint("s", i), Address: fmt.Sprint("aws_subnet.s", i)}))
		}
		for round := 0; round < 2; round++ {
			for _, r := range to {
				g.Link(from, r, "vpc_config.subnet_ids")
				g.Link(from, r, "vpc_config.0.subnet_ids")
			}
			g.Link(from, from, "self")
			g.Link(from, nil, "none")
		}
		if got, want := g.EdgeCount(), 2*n; got != want {
			t.Errorf("%d targets: %d edges, want %d", n, got, want)
		}
		if got := len(g.Out(from)); got != 2*n {
			t.Errorf("%d targets: %d out-edges, want %d", n, got, 2*n)
		}
		for _, r := range to {
			if got := len(g.In(r)); got != 2 {
				t.Errorf("%d targets: %s has %d in-edges, want 2", n, r.Address, got)
			}
		}
	}
}
