package graph

import (
	"math"
	"testing"
)

func TestClamp32(t *testing.T) {
	tests := []struct{ in, want int64 }{
		{0, 0},
		{1, 1},
		{-1, -1},
		{math.MaxInt32, math.MaxInt32},
		{math.MinInt32, math.MinInt32},
		{math.MaxInt32 + 1, math.MaxInt32},
		{math.MinInt32 - 1, math.MinInt32},
		{math.MaxInt64, math.MaxInt32},
		{math.MinInt64, math.MinInt32},
	}
	for _, tt := range tests {
		if int64(int(tt.in)) != tt.in {
			// Only on a 32-bit platform, where int cannot hold it.
			continue
		}
		if got := Clamp32(int(tt.in)); int64(got) != tt.want {
			t.Errorf("Clamp32(%d) = %d, want %d", tt.in, got, tt.want)
		}
	}
}
