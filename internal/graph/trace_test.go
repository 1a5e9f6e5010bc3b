package graph

import (
	"reflect"
	"strings"
	"testing"
)

func TestReadTrace(t *testing.T) {
	g := New()
	a := g.Add(&Resource{Type: "aws_a", Address: "aws_a.x", Attrs: NewMap(map[string]*Value{
		"block": NewList(NewMap(map[string]*Value{"leaf": NewString("v")}))})})
	b := g.Add(&Resource{Type: "aws_b", Address: "aws_b.y"})
	g.Link(b, a, "ref.0")
	var gets [][]string
	var edges []string
	prev := SetReadTrace(&ReadTrace{
		Get: func(v *Value, path []string) { gets = append(gets, path) },
		Edge: func(holder *Resource, types []string, attr string) {
			who := "?"
			if holder != nil {
				who = holder.Type
			}
			edges = append(edges, who+" "+attr+" "+strings.Join(types, ","))
		},
	})
	a.Get("block.0.leaf")
	a.Attrs.Get("block", "leaf")
	g.Targets(b, "ref", "aws_a")
	g.Sources(a, "ref")
	g.Sources(a, "ref", "aws_b")
	SetReadTrace(prev)
	a.Get("not.traced")
	want := [][]string{{"block", "0", "leaf"}, {"block", "leaf"}}
	if !reflect.DeepEqual(gets, want) {
		t.Errorf("gets %q, want %q", gets, want)
	}
	wantEdges := []string{"aws_b ref ", "aws_b ref ", "? ref aws_b"}
	if !reflect.DeepEqual(edges, wantEdges) {
		t.Errorf("edges %q, want %q", edges, wantEdges)
	}
}

// BenchmarkGetPath is the cost of a read, which the read trace adds one
// atomic load to when no trace is set.
func BenchmarkGetPath(b *testing.B) {
	v := NewMap(map[string]*Value{"vpc_config": NewList(NewMap(map[string]*Value{"endpoint_public_access": NewBool(true)}))})
	for b.Loop() {
		if v.GetPath("vpc_config.endpoint_public_access") == nil {
			b.Fatal("absent")
		}
	}
}
