package policy

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"net"
	"regexp"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/topdown"
)

// Limits bound one evaluation of one policy on one input.
type Limits struct {
	// Timeout is the wall-clock bound (default 5s).
	Timeout time.Duration
	// Memory is how much the live heap may grow while evaluations run
	// (default 512 MiB).
	Memory int64
	// Budget is how many of one policy's evaluations may exceed Timeout
	// in a run before the policy is stopped for the rest of it (default 3).
	Budget int
}

// DefaultBudget is Limits.Budget's default: a policy that exceeds the time
// bound on three inputs will most likely do so on the rest, and three name
// enough inputs to see whether the slowness follows the input's size.
const DefaultBudget = 3

func (l Limits) withDefaults() Limits {
	if l.Timeout <= 0 {
		l.Timeout = 5 * time.Second
	}
	if l.Memory <= 0 {
		l.Memory = 512 << 20
	}
	if l.Budget <= 0 {
		l.Budget = DefaultBudget
	}
	return l
}

// denied are the built-ins a policy may not call. They are left out of the
// capabilities, so a policy naming one fails to compile with its position:
// http.send and net.lookup_ip_addr reach the network (http.send also reads
// client certificate files), opa.runtime hands out the environment, and
// the JSON-schema built-ins resolve $ref to remote or local files.
var denied = map[string]bool{
	"http.send":          true,
	"net.lookup_ip_addr": true,
	"opa.runtime":        true,
	"json.match_schema":  true,
	"json.verify_schema": true,
	// graph.reachable_paths lists every path, exponentially many in a
	// graph of diamonds, in one call that cannot be interrupted;
	// graph.reachable answers the usual question in linear time.
	"graph.reachable_paths": true,
}

var (
	capsOnce sync.Once
	caps     *ast.Capabilities
)

// capabilities is this OPA's built-ins less the denied ones, with no host
// allowed for network access (an empty list, not a missing one, which
// would allow any).
func capabilities() *ast.Capabilities {
	capsOnce.Do(func() {
		c := ast.CapabilitiesForThisVersion()
		keep := make([]*ast.Builtin, 0, len(c.Builtins))
		for _, b := range c.Builtins {
			if !denied[b.Name] {
				keep = append(keep, b)
			}
		}
		c.Builtins = keep
		c.AllowNet = []string{}
		caps = c
		installGuards()
	})
	return caps
}

// Bounds on the built-ins whose output is not bounded by their input: one
// call can allocate gigabytes before evaluation can be cancelled, so the
// size is checked before the call.
const (
	maxRangeItems  = 1 << 20
	maxStringBytes = 16 << 20
	maxCIDRHosts   = 1 << 16
)

// errBound marks a built-in refused for its output size; the evaluation
// records it so the policy is reported, not silently undefined.
type errBound struct{ what string }

func (e *errBound) Error() string { return e.what }

type stateKey struct{}

// evalState is what one evaluation's guards and watchdog record.
type evalState struct {
	mu       sync.Mutex
	exceeded string
}

func (s *evalState) set(what string) {
	s.mu.Lock()
	if s.exceeded == "" {
		s.exceeded = what
	}
	s.mu.Unlock()
}

func (s *evalState) get() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.exceeded
}

func guard(name string, check func(ops []*ast.Term) error) {
	orig := topdown.GetBuiltin(name)
	if orig == nil {
		return
	}
	topdown.RegisterBuiltinFunc(name, func(bctx topdown.BuiltinContext, ops []*ast.Term, iter func(*ast.Term) error) error {
		if err := check(ops); err != nil {
			if st, ok := bctx.Context.Value(stateKey{}).(*evalState); ok {
				st.set(err.Error())
			}
			return err
		}
		return orig(bctx, ops, iter)
	})
}

func num(t *ast.Term) (*big.Float, bool) {
	n, ok := t.Value.(ast.Number)
	if !ok {
		return nil, false
	}
	f, ok := new(big.Float).SetString(string(n))
	return f, ok
}

func str(t *ast.Term) (string, bool) {
	s, ok := t.Value.(ast.String)
	return string(s), ok
}

func installGuards() {
	rangeCheck := func(name string, ops []*ast.Term, step *ast.Term) error {
		a, ok1 := num(ops[0])
		b, ok2 := num(ops[1])
		if !ok1 || !ok2 {
			return nil
		}
		n := new(big.Float).Sub(b, a)
		n.Abs(n)
		if step != nil {
			if s, ok := num(step); ok && s.Sign() > 0 {
				n.Quo(n, s)
			}
		}
		if n.Cmp(big.NewFloat(maxRangeItems)) > 0 {
			return &errBound{fmt.Sprintf("%s would build more than %d numbers", name, maxRangeItems)}
		}
		return nil
	}
	guard("numbers.range", func(ops []*ast.Term) error { return rangeCheck("numbers.range", ops, nil) })
	guard("numbers.range_step", func(ops []*ast.Term) error { return rangeCheck("numbers.range_step", ops, ops[2]) })
	replaceCheck := func(name, s, old, repl string) error {
		if len(repl) <= len(old) {
			return nil
		}
		count := strings.Count(s, old)
		if int64(len(s))+int64(count)*int64(len(repl)-len(old)) > maxStringBytes {
			return &errBound{fmt.Sprintf("%s would build more than %d bytes", name, maxStringBytes)}
		}
		return nil
	}
	guard("replace", func(ops []*ast.Term) error {
		s, ok1 := str(ops[0])
		old, ok2 := str(ops[1])
		repl, ok3 := str(ops[2])
		if !ok1 || !ok2 || !ok3 {
			return nil
		}
		return replaceCheck("replace", s, old, repl)
	})
	guard("regex.replace", func(ops []*ast.Term) error {
		s, ok1 := str(ops[0])
		pattern, ok2 := str(ops[1])
		repl, ok3 := str(ops[2])
		if !ok1 || !ok2 || !ok3 || int64(len(s))+int64(len(s)+1)*int64(len(repl)) <= maxStringBytes {
			return nil
		}
		re, err := regexp.Compile(pattern)
		if err != nil {
			return nil
		}
		if int64(len(s))+int64(len(re.FindAllStringIndex(s, -1)))*int64(len(repl)) > maxStringBytes {
			return &errBound{fmt.Sprintf("regex.replace would build more than %d bytes", maxStringBytes)}
		}
		return nil
	})
	guard("strings.replace_n", func(ops []*ast.Term) error {
		obj, ok1 := ops[0].Value.(ast.Object)
		s, ok2 := str(ops[1])
		if !ok1 || !ok2 {
			return nil
		}
		var err error
		obj.Foreach(func(k, v *ast.Term) {
			old, ok1 := str(k)
			repl, ok2 := str(v)
			if err == nil && ok1 && ok2 {
				err = replaceCheck("strings.replace_n", s, old, repl)
			}
		})
		return err
	})
	guard("net.cidr_expand", func(ops []*ast.Term) error {
		s, ok := str(ops[0])
		if !ok {
			return nil
		}
		_, n, err := net.ParseCIDR(s)
		if err != nil {
			return nil
		}
		ones, bits := n.Mask.Size()
		if bits-ones > 16 {
			return &errBound{fmt.Sprintf("net.cidr_expand of %s would list more than %d addresses", s, maxCIDRHosts)}
		}
		return nil
	})
}

// Reasons an evaluation is cancelled, told apart with context.Cause.
var (
	errTimeBound   = errors.New("time bound exceeded")
	errMemoryBound = errors.New("memory bound exceeded")
)

// watchdog cancels the evaluations in flight when the live heap has grown
// more than the limit since evaluation began. Go cannot account memory to
// a goroutine, so the evaluations cancelled together are run again one at
// a time; the one that trips the bound alone is the one reported.
type watchdog struct {
	limit    uint64
	base     uint64
	mu       sync.Mutex
	inflight map[*inflight]struct{}
	tripped  bool
	done     chan struct{}
	samples  []metrics.Sample
}

type inflight struct {
	cancel context.CancelCauseFunc
}

const liveHeap = "/gc/heap/live:bytes"
const heapObjects = "/memory/classes/heap/objects:bytes"

func newWatchdog(limit int64) *watchdog {
	w := &watchdog{limit: uint64(limit), inflight: map[*inflight]struct{}{}, done: make(chan struct{}),
		samples: []metrics.Sample{{Name: liveHeap}, {Name: heapObjects}}}
	// The heap in use now, garbage included, is an upper bound of the live
	// heap; forcing a collection to measure it exactly costs a tenth of a
	// second on a large graph, and over-counting the base only makes the
	// bound a little looser.
	metrics.Read(w.samples)
	if w.samples[1].Value.Kind() == metrics.KindUint64 {
		w.base = w.samples[1].Value.Uint64()
	}
	if live := w.read(); live > w.base {
		w.base = live
	}
	go w.loop()
	return w
}

// read is the heap in use: the live heap of the last collection, or the
// allocated objects when that is larger by more than a collection's worth,
// so growth between collections is seen too.
func (w *watchdog) read() uint64 {
	metrics.Read(w.samples)
	var live, objs uint64
	if w.samples[0].Value.Kind() == metrics.KindUint64 {
		live = w.samples[0].Value.Uint64()
	}
	if w.samples[1].Value.Kind() == metrics.KindUint64 {
		objs = w.samples[1].Value.Uint64()
	}
	if objs/2 > live {
		return objs / 2
	}
	return live
}

func (w *watchdog) loop() {
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-w.done:
			return
		case <-t.C:
			if h := w.read(); h > w.base && h-w.base > w.limit {
				w.trip()
			}
		}
	}
}

func (w *watchdog) trip() {
	w.mu.Lock()
	for f := range w.inflight {
		f.cancel(errMemoryBound)
		delete(w.inflight, f)
	}
	w.tripped = true
	w.mu.Unlock()
	// Give the memory back before measuring again.
	debug.FreeOSMemory()
}

func (w *watchdog) add(cancel context.CancelCauseFunc) *inflight {
	f := &inflight{cancel: cancel}
	w.mu.Lock()
	w.inflight[f] = struct{}{}
	w.mu.Unlock()
	return f
}

func (w *watchdog) remove(f *inflight) {
	w.mu.Lock()
	delete(w.inflight, f)
	w.mu.Unlock()
}

func (w *watchdog) stop() { close(w.done) }
