package graph

import (
	"math"
	"testing"
	"unsafe"
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

// A large plan holds millions of Values (2.4 million live for 230,000
// resources), so their size is most of the heap: at 96 bytes each they
// save 16 bytes a value over the 112-byte size class they had. A field
// added to Value that pushes it past 96 costs all of that back; what few
// values need goes in valueExt instead.
func TestValueSize(t *testing.T) {
	if s := unsafe.Sizeof(Value{}); s > 96 {
		t.Errorf("graph.Value is %d bytes, more than Go's 96-byte size class", s)
	}
	// Range is in every Value and every Resource; with int32 lines and
	// columns it is 32 bytes, which the 96 above counts on.
	if s := unsafe.Sizeof(Range{}); s != 32 {
		t.Errorf("graph.Range is %d bytes, want 32", s)
	}
}

func TestNum(t *testing.T) {
	negZero := math.Copysign(0, -1)
	for _, n := range []float64{0, negZero, 1, -2.5, math.MaxFloat64, math.Inf(1), math.NaN()} {
		v := NewNumber(n)
		if got := v.Num(); math.Float64bits(got) != math.Float64bits(n) {
			t.Errorf("NewNumber(%v).Num() = %v", n, got)
		}
	}
	if v := NewNumber(0); v.ext != nil {
		t.Error("a zero number allocated its ext")
	}
	if got := string(must(NewNumber(negZero).MarshalJSON())); got != "-0" {
		t.Errorf("negative zero written %s", got)
	}
	// A number set on a value that has an ext already (here a secret)
	// keeps the rest of it.
	v := NewNumber(0)
	v.MarkSecret()
	v.SetNum(3)
	if v.Num() != 3 || !v.IsSecret() {
		t.Errorf("SetNum on a secret: %v, secret %v", v.Num(), v.IsSecret())
	}
	v = NewNumberAt(7, Range{File: "f", Line: 2})
	if v.Num() != 7 || v.Range.Line != 2 || v.Kind != Number {
		t.Errorf("NewNumberAt: %+v", v)
	}
	if (*Value)(nil).Num() != 0 || NewString("7").Num() != 0 {
		t.Error("Num of what is not a number is not 0")
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}
