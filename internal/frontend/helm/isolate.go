package helm

import (
	"bufio"
	"bytes"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The protocol between a parent and the child rendering one of its
// charts, gob on the child's stdin and stdout: a chartRequest, answered by
// a readyMessage once the child has started and read it, then any number
// of releaseRequests, each answered by a releaseResponse, until the
// parent closes stdin.

// chartRequest is everything the child needs to render the chart: it
// reads no file itself.
type chartRequest struct {
	Files       []wireFile
	KubeVersion string
	Namespace   string
	MaxOutput   int
	MaxMemory   int64
	// Timeout is the time left to the chart: the child stops itself a
	// little after it, should the parent fail to kill it.
	Timeout time.Duration
	// StartDelay holds the child back that long before it says it is
	// ready: the tests' stand-in for a slow start.
	StartDelay time.Duration
}

// readyMessage tells the parent that the child has started and read the
// chart: the chart's time bound starts then.
type readyMessage struct{ Ready bool }

// startBound bounds a child's start: running the executable again, the
// Go runtime's and the packages' start-up, and reading the chart. It is
// not counted in the chart's bound (--helm-timeout), which is about
// templates: on a loaded machine, or with the race detector, start-up
// alone can take seconds.
const startBound = 2 * time.Minute

// testStartDelay is sent as chartRequest.StartDelay.
var testStartDelay time.Duration

type wireFile struct {
	Name string
	Data []byte
}

type releaseRequest struct {
	Name   string
	Values map[string]any
}

type releaseResponse struct {
	Out map[string]string
	Err string
}

func init() {
	// The containers values hold, besides the basic types gob knows.
	gob.Register(map[string]any{})
	gob.Register([]any{})
}

// Exit statuses of a child stopped at a bound by its own watchdog; the
// Go runtime uses 2 for fatal errors, such as an allocation the address
// space limit refused.
const (
	exitMemory = 86
	exitTime   = 87
)

// child is the process rendering one chart.
type child struct {
	cmd      *exec.Cmd
	stdin    io.WriteCloser
	dec      *gob.Decoder
	stderr   *headBuffer
	timer    *time.Timer
	timedOut atomic.Bool
	// timeout, maxMemory and maxStack are the bounds, for the errors
	// that name them.
	timeout             time.Duration
	maxMemory, maxStack int64
}

// renderIsolated renders one release in the chart's child process,
// starting it if none runs.
func (r *renderer) renderIsolated(rel string, vals map[string]any) (map[string]string, error) {
	if r.spent || (!r.deadline.IsZero() && !time.Now().Before(r.deadline)) {
		r.spent = true
		return nil, errTimeSpent{r.timeout}
	}
	if r.child == nil {
		c, err := startChild(r.chartRequest(), r.timeout)
		if err != nil {
			_, r.spent = err.(errTimeout)
			return nil, err
		}
		r.child = c
		if r.deadline.IsZero() {
			// The first child is ready: the chart's time starts now.
			r.deadline = time.Now().Add(r.timeout)
		}
	}
	msg, err := encode(releaseRequest{Name: rel, Values: vals})
	if err != nil {
		return nil, fmt.Errorf("cannot send the values to the renderer process: %w", err)
	}
	var resp releaseResponse
	if _, err = r.child.stdin.Write(msg); err == nil {
		err = r.child.dec.Decode(&resp)
	}
	if err != nil {
		// The child is gone (killed at the deadline, stopped at the
		// memory bound, crashed) or the stream broke: say why, and start
		// a new child for the next release.
		err = r.child.stop(err)
		r.child = nil
		_, r.spent = err.(errTimeout)
		return nil, err
	}
	if resp.Err != "" {
		return nil, errors.New(resp.Err)
	}
	return resp.Out, nil
}

func (r *renderer) chartRequest() chartRequest {
	files := make([]wireFile, len(r.files))
	for i, f := range r.files {
		files[i] = wireFile{Name: f.name, Data: f.data}
	}
	left := r.timeout
	if !r.deadline.IsZero() {
		left = time.Until(r.deadline)
	}
	return chartRequest{Files: files, KubeVersion: r.opts.KubeVersion, Namespace: r.opts.Namespace,
		MaxOutput: r.opts.MaxOutput, MaxMemory: r.opts.MaxMemory, Timeout: left, StartDelay: testStartDelay}
}

// startChild starts the running executable as a renderer, sends it the
// chart and waits until it is ready; the child is killed if it is not
// ready within startBound, or when req.Timeout has passed since it was.
// timeout is the chart's whole time bound, for the error.
func startChild(req chartRequest, timeout time.Duration) (*child, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("cannot start the renderer process: %w", err)
	}
	cmd := exec.Command(exe)
	cmd.Env = workerEnviron()
	cmd.SysProcAttr = childSysProcAttr()
	c := &child{cmd: cmd, stderr: &headBuffer{max: 16 << 10}, timeout: timeout, maxMemory: req.MaxMemory, maxStack: maxStack(req.MaxMemory)}
	cmd.Stderr = c.stderr
	if c.stdin, err = cmd.StdinPipe(); err != nil {
		return nil, fmt.Errorf("cannot start the renderer process: %w", err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("cannot start the renderer process: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("cannot start the renderer process: %w", err)
	}
	var slow atomic.Bool
	c.timer = time.AfterFunc(startBound, func() {
		slow.Store(true)
		_ = cmd.Process.Kill()
	})
	c.dec = gob.NewDecoder(bufio.NewReader(stdout))
	msg, err := encode(req)
	if err == nil {
		_, err = c.stdin.Write(msg)
	}
	var ready readyMessage
	if err == nil {
		err = c.dec.Decode(&ready)
	}
	if err == nil && !ready.Ready {
		err = errors.New("the renderer process did not say it was ready")
	}
	if err != nil {
		err = c.stop(err)
		if slow.Load() {
			err = fmt.Errorf("the renderer process did not start within %s", startBound)
		}
		return nil, err
	}
	if !c.timer.Stop() {
		// The start bound fired as the child answered: it is being killed.
		return nil, c.stop(errors.New("the renderer process was stopped as it started"))
	}
	c.timer = time.AfterFunc(req.Timeout, func() {
		c.timedOut.Store(true)
		_ = cmd.Process.Kill()
	})
	return c, nil
}

// encode encodes one request as a gob stream of its own, type
// definitions included, so a value that cannot be encoded leaves nothing
// half-written to the child (its decoder reads each with a new decoder).
func encode(v any) ([]byte, error) {
	var b bytes.Buffer
	err := gob.NewEncoder(&b).Encode(v)
	return b.Bytes(), err
}

// workerEnviron is the child's environment: the variable that makes it a
// renderer, and on Windows what a process needs to start; nothing else
// of the parent's (proxies, credentials, GODEBUG) reaches it.
func workerEnviron() []string {
	env := []string{workerEnv + "=" + workerProtocol}
	for _, k := range []string{"SYSTEMROOT", "SystemRoot"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
			break
		}
	}
	return env
}

// close ends a child that rendered every release asked: it exits when
// its stdin closes.
func (c *child) close() {
	_ = c.stdin.Close()
	_ = c.cmd.Wait()
	c.timer.Stop()
}

// stop kills the child after cause broke the exchange with it, waits for
// it, and says why it stopped.
func (c *child) stop(cause error) error {
	_ = c.cmd.Process.Kill()
	werr := c.cmd.Wait()
	c.timer.Stop()
	tail := c.stderr.String()
	code := -1
	var ee *exec.ExitError
	if errors.As(werr, &ee) {
		code = ee.ExitCode()
	}
	switch {
	case c.timedOut.Load() || code == exitTime:
		return errTimeout{c.timeout}
	case code == exitMemory:
		return errMemory{limit: c.maxMemory}
	case strings.Contains(tail, "out of memory") || strings.Contains(tail, "cannot allocate memory"):
		return errMemory{limit: c.maxMemory, fatal: true}
	case strings.Contains(tail, "stack overflow") || strings.Contains(tail, "stack exceeds"):
		return errStack{c.maxStack}
	}
	if detail := firstLines(tail, 2); detail != "" {
		return fmt.Errorf("renderer process stopped (%v): %s", werr, detail)
	}
	return fmt.Errorf("renderer process stopped (%v) after: %v", werr, cause)
}

// firstLines are the first n non-empty lines of s, joined by "; ": a Go
// program dying of a fatal error or a panic says why first, then dumps
// its goroutines.
func firstLines(s string, n int) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" && len(out) < n {
			out = append(out, l)
		}
	}
	return strings.Join(out, "; ")
}

// headBuffer keeps the first max bytes written to it.
type headBuffer struct {
	mu  sync.Mutex
	max int
	buf bytes.Buffer
}

func (b *headBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if room := b.max - b.buf.Len(); room > 0 {
		b.buf.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

func (b *headBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
