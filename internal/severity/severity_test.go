package severity

import (
	"strings"
	"testing"
)

func TestBands(t *testing.T) {
	// Each level's representative score falls in its own band, and the
	// band edges are the CVSS v3 ones.
	for l := Low; l <= Critical; l++ {
		if got := FromScore(l.Score()); got != l {
			t.Errorf("FromScore(%v.Score()) = %v", l, got)
		}
	}
	for score, want := range map[float64]Level{0: None, 0.1: Low, 3.9: Low, 4.0: Medium, 6.9: Medium, 7.0: High, 8.9: High, 9.0: Critical, 10: Critical} {
		if got := FromScore(score); got != want {
			t.Errorf("FromScore(%v) = %v, want %v", score, got, want)
		}
	}
	for _, n := range []string{"none", "LOW", "Medium", "high", "critical"} {
		if l, err := Parse(n); err != nil || !strings.EqualFold(l.String(), n) {
			t.Errorf("Parse(%q) = %v, %v", n, l, err)
		}
	}
	if _, err := Parse("severe"); err == nil {
		t.Error("Parse accepted an unknown name")
	}
	if Level(9).String() != "unknown" {
		t.Error("out-of-range level has a name")
	}
}
