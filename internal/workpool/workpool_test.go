package workpool

import (
	"sync/atomic"
	"testing"
)

func TestEachRunsEveryJobOnce(t *testing.T) {
	for _, n := range []int{0, 1, 7, 1000} {
		counts := make([]int32, n)
		var total atomic.Int32
		Each(n, func(i int) {
			atomic.AddInt32(&counts[i], 1)
			total.Add(1)
		})
		if int(total.Load()) != n {
			t.Errorf("n=%d: %d calls", n, total.Load())
		}
		for i, c := range counts {
			if c != 1 {
				t.Errorf("n=%d: job %d ran %d times", n, i, c)
			}
		}
	}
}
