package rule

import (
	"testing"

	"github.com/eksguard/eksguard/internal/graph"
)

func TestBoolOr(t *testing.T) {
	tests := []struct {
		v    *graph.Value
		def  bool
		want Tri
	}{
		{nil, true, True},
		{graph.NewNull(), false, False},
		{graph.NewUnknown(), false, TriUnknown},
		{graph.NewBool(true), false, True},
		{graph.NewString("TRUE"), false, True},
		{graph.NewString("yes"), false, True},
		{graph.NewString("On"), false, True},
		{graph.NewString("off"), true, False},
		{graph.NewString("N"), true, False},
		{graph.NewString("maybe"), true, TriUnknown},
		{graph.NewNumber(1), true, TriUnknown},
	}
	for _, tt := range tests {
		if got := BoolOr(tt.v, tt.def); got != tt.want {
			t.Errorf("BoolOr(%s, %v) = %v, want %v", tt.v, tt.def, got, tt.want)
		}
	}
}

func TestKleene(t *testing.T) {
	if Or(False, TriUnknown) != TriUnknown || Or(TriUnknown, True) != True || Or() != False {
		t.Error("Or")
	}
	if And(True, TriUnknown) != TriUnknown || And(TriUnknown, False) != False || And() != True {
		t.Error("And")
	}
	if TriUnknown.Not() != TriUnknown || True.Not() != False {
		t.Error("Not")
	}
}
