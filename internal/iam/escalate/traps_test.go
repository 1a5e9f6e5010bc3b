package escalate

import (
	"testing"
	"time"

	"github.com/eksguard/eksguard/internal/frontend"
)

// TestTrapConditionNeverWithClock: with a clock, a condition
// aws:CurrentTime DateLessThan a past date never holds, so the path of
// testdata/trap-condition-never disappears (TestFixtures analyses without
// a clock, where the path stays possible).
func TestTrapConditionNeverWithClock(t *testing.T) {
	res := frontend.Load([]string{"testdata/trap-condition-never"}, frontend.Options{})
	for _, d := range res.Diags {
		t.Fatalf("load: %s", d)
	}
	a := Analyze(res.Graph, Config{Now: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)})
	for _, p := range a.Paths {
		t.Errorf("unexpected path %s %s", p, p.Certain)
	}
}
