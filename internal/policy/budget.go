package policy

import (
	"context"
	"errors"
	"sort"
	"sync"
)

// errPolicyStopped cancels an evaluation in flight when its policy has
// used up its budget of time-outs.
var errPolicyStopped = errors.New("policy stopped")

// budget stops a policy for the rest of the run after Limits.Budget of its
// evaluations exceeded the time bound: a policy slow on every input would
// otherwise cost the full bound on each of them (67 documents at 5s).
//
// The stop point is the Budget-th time-out in task order, not in the order
// evaluations happen to finish, so which evaluations are skipped, and how
// many, does not depend on scheduling as long as each evaluation times out
// or not on its own. An evaluation is skipped, or cancelled in flight, only
// when Budget time-outs of lower index have finished; a lower index is
// started first, so everything up to the final stop point was evaluated.
type budget struct {
	limit int
	mu    sync.Mutex
	// timedOut are the task indices that exceeded the time bound, sorted.
	timedOut []int
	inflight map[int]context.CancelCauseFunc
}

func newBudget(limit int) *budget {
	return &budget{limit: limit, inflight: map[int]context.CancelCauseFunc{}}
}

// stopAt is the task index after which the policy is stopped, -1 while it
// is not. Called with mu held.
func (b *budget) stopAt() int {
	if len(b.timedOut) < b.limit {
		return -1
	}
	return b.timedOut[b.limit-1]
}

// start registers task i before it is evaluated; false when it falls after
// the stop point and must be skipped.
func (b *budget) start(i int, cancel context.CancelCauseFunc) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if s := b.stopAt(); s >= 0 && i > s {
		return false
	}
	b.inflight[i] = cancel
	return true
}

// finish unregisters task i; when it timed out and that moves the stop
// point, the evaluations in flight past it are cancelled at once rather
// than left to run into their own time bound.
func (b *budget) finish(i int, timedOut bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.inflight, i)
	if !timedOut {
		return
	}
	at := sort.SearchInts(b.timedOut, i)
	b.timedOut = append(b.timedOut, 0)
	copy(b.timedOut[at+1:], b.timedOut[at:])
	b.timedOut[at] = i
	s := b.stopAt()
	if s < 0 {
		return
	}
	for j, cancel := range b.inflight {
		if j > s {
			cancel(errPolicyStopped)
			delete(b.inflight, j)
		}
	}
}
