package suppress

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMentions: the marker is found wherever it lies, across the blocks a
// file is read in too.
func TestMentions(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	block := 64 << 10
	for name, tc := range map[string]struct {
		text string
		want bool
	}{
		"empty":        {"", false},
		"short":        {"# eksguard:ignore K8S-001", true},
		"absent":       {strings.Repeat("x", 3*block), false},
		"start":        {marker + strings.Repeat("x", 3*block), true},
		"end":          {strings.Repeat("x", 3*block) + marker, true},
		"across":       {strings.Repeat("x", block-5) + marker + strings.Repeat("x", block), true},
		"across last":  {strings.Repeat("x", 2*block-1) + marker, true},
		"almost":       {strings.Repeat("x", block-5) + marker[:len(marker)-1] + strings.Repeat("x", block), false},
		"one past end": {strings.Repeat("x", block-len(marker)+1) + marker[:len(marker)-1], false},
	} {
		if got := mentions(write(strings.ReplaceAll(name, " ", "-"), tc.text), marker); got != tc.want {
			t.Errorf("%s: %v, want %v", name, got, tc.want)
		}
	}
	if mentions(filepath.Join(dir, "missing"), marker) {
		t.Error("a missing file mentions the marker")
	}
}
