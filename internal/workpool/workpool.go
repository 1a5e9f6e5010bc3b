// Package workpool runs independent jobs on every core. Rules and custom
// policies only read the graph, so their evaluations need no coordination
// beyond writing results to their own slot.
package workpool

import (
	"runtime"
	"sync"
)

// Each calls f(0) ... f(n-1), GOMAXPROCS at a time, and returns when all
// have returned. f must write its result to a place of its own (per[i]).
func Each(n int, f func(i int)) {
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0) && w < n; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				f(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		work <- i
	}
	close(work)
	wg.Wait()
}
