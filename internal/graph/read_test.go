package graph

import (
	"testing"

	"github.com/eksguard/eksguard/internal/tri"
)

func TestBoolOr(t *testing.T) {
	tests := []struct {
		v    *Value
		def  bool
		want tri.Tri
	}{
		{nil, true, tri.True},
		{NewNull(), false, tri.False},
		{NewUnknown(), false, tri.Unknown},
		{NewBool(true), false, tri.True},
		{NewString("TRUE"), false, tri.True},
		{NewString("yes"), false, tri.True},
		{NewString("On"), false, tri.True},
		{NewString("off"), true, tri.False},
		{NewString("N"), true, tri.False},
		{NewString("maybe"), true, tri.Unknown},
		{NewNumber(1), true, tri.Unknown},
	}
	for _, tt := range tests {
		if got := tt.v.BoolOr(tt.def); got != tt.want {
			t.Errorf("BoolOr(%s, %v) = %v, want %v", tt.v, tt.def, got, tt.want)
		}
	}
}
