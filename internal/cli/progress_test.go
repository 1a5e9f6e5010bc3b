package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestProgress: progress appears on a terminal's stderr during a scan and
// is erased; without a terminal nothing is written.
func TestProgress(t *testing.T) {
	defer func(d time.Duration) { progressDelay = d }(progressDelay)
	progressDelay = 0
	for _, tty := range []bool{true, false} {
		var stdout, stderr bytes.Buffer
		env := Env{Stdout: &stdout, Stderr: &stderr, StderrTTY: tty, Getenv: func(string) string { return "" }}
		p := startProgress(env)
		p.set("reading inputs")
		// Wait for the first draw rather than a fixed time: on a loaded
		// machine (the race detector, other packages' tests) the drawing
		// goroutine may not run within any short sleep.
		for deadline := time.Now().Add(10 * time.Second); tty && time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			p.mu.Lock()
			shown := p.shown
			p.mu.Unlock()
			if shown {
				break
			}
		}
		p.stop()
		got := stderr.String()
		switch {
		case tty && (!strings.Contains(got, "eksguard: reading inputs") || !strings.HasSuffix(got, "\r\033[K")):
			t.Errorf("terminal: progress %q", got)
		case !tty && got != "":
			t.Errorf("no terminal: wrote %q", got)
		}
	}
	// A whole scan through Main with a terminal stderr keeps stdout clean.
	var stdout, stderr bytes.Buffer
	code := Main([]string{"scan", "--no-color", "--format", "json", example}, Env{Stdout: &stdout, Stderr: &stderr,
		StderrTTY: true, Getenv: func(string) string { return "" }})
	if code != ExitGate || strings.Contains(stdout.String(), "eksguard: ") {
		t.Errorf("exit %d; progress leaked into stdout", code)
	}
}
