package policy_test

import (
	"bytes"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/eksguard/eksguard/internal/frontend"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/policy"
)

// The graph a graph policy reads is the documented JSON that
// `eksguard graph` prints, value for value, though built without it.
func TestGraphValueIsTheDocumentedJSON(t *testing.T) {
	for _, dir := range []string{"../../examples/seed-eks", "../../examples/eks-platform", "../../examples/shop", "../../examples/data-platform", "../../examples/apps",
		"../../internal/frontend/tfhcl/testdata/platform"} {
		loaded := frontend.Load([]string{dir}, frontend.Options{})
		var buf bytes.Buffer
		if err := loaded.Graph.WriteJSON(&buf); err != nil {
			t.Fatal(err)
		}
		want, err := ast.ValueFromReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		got := policy.GraphValue(loaded.Graph, nil)
		if got.Compare(want) != 0 {
			t.Errorf("%s: graph input differs from the graph JSON", dir)
			wr := want.(ast.Object).Get(ast.StringTerm("resources")).Value.(*ast.Array)
			gr := got.(ast.Object).Get(ast.StringTerm("resources")).Value.(*ast.Array)
			for i := 0; i < wr.Len() && i < gr.Len(); i++ {
				if wr.Elem(i).Value.Compare(gr.Elem(i).Value) != 0 {
					t.Errorf("first difference at resource %d:\n got %v\nwant %v", i, gr.Elem(i), wr.Elem(i))
					break
				}
			}
		}
	}
}

// A number JSON cannot hold (1e400, YAML's .inf and .nan) reaches a policy
// as the graph's JSON form writes it, not as a value OPA rejects.
func TestNonFiniteNumbers(t *testing.T) {
	inf := 1e308
	inf *= 10
	v := graph.NewList(graph.NewNumber(inf), graph.NewNumber(-inf), graph.NewNumber(inf-inf))
	want, _ := v.MarshalJSON()
	got := policy.Value(v)
	if got.String() != ast.MustParseTerm(string(want)).Value.String() {
		t.Errorf("got %s, want %s", got, want)
	}
}
