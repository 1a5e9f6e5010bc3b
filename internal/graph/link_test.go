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

// Edges are kept by resource ID: a resource that is not in the graph (a
// result's stand-in for a file) has none and gets none, and one added
// after others were linked is linked like them.
func TestLinkByID(t *testing.T) {
	g := New()
	a := g.Add(&Resource{Type: "aws_eks_cluster", Name: "a", Address: "aws_eks_cluster.a"})
	b := g.Add(&Resource{Type: "aws_subnet", Name: "b", Address: "aws_subnet.b"})
	g.Link(a, b, "vpc_config.subnet_ids")
	foreign := &Resource{ID: -1, Type: "file", Address: "file"}
	other := New().Add(&Resource{Type: "aws_subnet", Name: "c", Address: "aws_subnet.c"}) // ID 0, a's ID
	g.Link(a, foreign, "x")
	g.Link(foreign, b, "x")
	g.Link(a, other, "y")
	if len(g.Out(foreign)) != 0 || len(g.In(foreign)) != 0 || len(g.Out(other)) != 0 {
		t.Errorf("a resource outside the graph has edges")
	}
	c := g.Add(&Resource{Type: "aws_subnet", Name: "c", Address: "aws_subnet.c"})
	g.Link(a, c, "vpc_config.subnet_ids")
	g.Link(c, b, "peer")
	if got := g.Targets(a, "vpc_config", "aws_subnet"); len(got) != 2 || got[0] != b || got[1] != c {
		t.Errorf("targets of a = %v, want b and c", got)
	}
	if got := g.Sources(b, ""); len(got) != 2 || got[0] != a || got[1] != c {
		t.Errorf("sources of b = %v, want a and c", got)
	}
	if g.EdgeCount() != 3 || len(g.SortedEdges()) != 3 {
		t.Errorf("%d edges (%d sorted), want 3", g.EdgeCount(), len(g.SortedEdges()))
	}
}
