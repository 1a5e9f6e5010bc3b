package cli

import (
	"fmt"
	"sync"
	"time"
)

// progressDelay is how long a scan runs before progress is shown: quick
// scans stay silent. Tests shorten it.
var progressDelay = 400 * time.Millisecond

// progress shows the stage of a long scan on one stderr line, redrawn in
// place, only when stderr is a terminal (never in CI logs or pipes).
type progress struct {
	env   Env
	mu    sync.Mutex
	stage string
	start time.Time
	shown bool
	done  chan struct{}
	wg    sync.WaitGroup
}

func startProgress(env Env) *progress {
	p := &progress{env: env, start: time.Now(), done: make(chan struct{})}
	if !env.StderrTTY {
		return p
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		timer := time.NewTimer(progressDelay)
		defer timer.Stop()
		select {
		case <-p.done:
			return
		case <-timer.C:
		}
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			p.draw()
			select {
			case <-p.done:
				return
			case <-tick.C:
			}
		}
	}()
	return p
}

// set names the current stage.
func (p *progress) set(stage string) {
	p.mu.Lock()
	p.stage = stage
	p.mu.Unlock()
}

func (p *progress) draw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stage == "" {
		return
	}
	p.shown = true
	fmt.Fprintf(p.env.Stderr, "\r\033[Keksguard: %s (%.1fs)", p.stage, time.Since(p.start).Seconds())
}

// stop ends the display and erases its line, leaving the terminal clean
// for the report.
func (p *progress) stop() {
	close(p.done)
	p.wg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.env.Stderr, "\r\033[K")
	}
}
