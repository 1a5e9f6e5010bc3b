package graph

import (
	"strings"
	"sync/atomic"
)

// ReadTrace observes attribute reads. The schema test
// (internal/builtin/attrschema_test.go) sets one while every rule runs
// over its fixtures, to learn which attribute paths of which resource
// types the rules read, and checks each against the provider's schema.
// Without one set, a read costs one atomic load more.
type ReadTrace struct {
	// Get is called for every v.Get(path...) and v.GetPath(dotted)
	// (and so every Resource.Get and AttrRange), with the path split
	// into its steps, before the read.
	Get func(v *Value, path []string)
	// Edge is called for Targets and Sources with the resource whose
	// attribute holds the reference (Targets' r) or, for Sources, the
	// types asked for, and the attribute path.
	Edge func(holder *Resource, types []string, attr string)
}

var readTrace atomic.Pointer[ReadTrace]

// SetReadTrace installs t (nil removes it) and returns the one it
// replaced. Reads made by other goroutines are seen too, so it is for
// tests that run nothing else meanwhile.
func SetReadTrace(t *ReadTrace) *ReadTrace { return readTrace.Swap(t) }

func traceGet(v *Value, path []string) {
	if t := readTrace.Load(); t != nil && t.Get != nil {
		// A copy, so that path does not escape: Get's callers keep
		// their variadic slices on the stack.
		t.Get(v, append([]string(nil), path...))
	}
}

func traceGetPath(v *Value, dotted string) {
	if t := readTrace.Load(); t != nil && t.Get != nil {
		// Split a copy, so that dotted does not escape: callers keep a
		// path they concatenate on the stack.
		t.Get(v, strings.Split(strings.Clone(dotted), "."))
	}
}

func traceEdge(holder *Resource, types []string, attr string) {
	if t := readTrace.Load(); t != nil && t.Edge != nil {
		t.Edge(holder, append([]string(nil), types...), attr)
	}
}
