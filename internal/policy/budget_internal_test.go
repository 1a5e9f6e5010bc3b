package policy

import (
	"fmt"
	"slices"
	"testing"
)

// The stop point is the budget-th time-out in task order, whatever order
// the time-outs finish in; evaluations in flight past it are cancelled,
// those before it are not.
func TestBudgetStopsInTaskOrder(t *testing.T) {
	b := newBudget(2)
	var cancelled []int
	for i := range 8 {
		if !b.start(i, func(cause error) {
			if cause != errPolicyStopped {
				t.Errorf("task %d cancelled for %v", i, cause)
			}
			cancelled = append(cancelled, i)
		}) {
			t.Fatalf("task %d refused before any time-out", i)
		}
	}
	b.finish(6, true)
	b.finish(7, true)
	if len(cancelled) != 0 || b.start(8, nil) {
		t.Fatalf("stopped after 7: cancelled %v, task 8 should be refused", cancelled)
	}
	b.finish(2, true)
	if len(cancelled) != 0 {
		t.Fatalf("stop at 6 cancelled %v", cancelled)
	}
	b.finish(1, true)
	slices.Sort(cancelled)
	if got := fmt.Sprint(cancelled); got != "[3 4 5]" {
		t.Errorf("stop at 2 cancelled %s, want [3 4 5]", got)
	}
	if b.start(3, nil) || !b.start(2, func(error) {}) {
		t.Errorf("after the stop at 2, task 3 should be refused and task 2 not")
	}
}
