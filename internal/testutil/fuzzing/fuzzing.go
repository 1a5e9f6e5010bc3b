// Package fuzzing holds what the parsers' fuzz targets share: the bound
// past which an input counts as a hang, and lines counted as a YAML reader
// counts them.
package fuzzing

import (
	"bytes"
	"fmt"
	"time"
)

// Deadline is far above what any input takes; an input that reaches it
// hangs the scan of a repository, which is the failure being looked for.
const Deadline = 20 * time.Second

// Watchdog panics, naming what runs on n bytes, unless the returned stop is
// called within Deadline: a fuzz target reports the hang as a crash.
func Watchdog(what string, n int) (stop func() bool) {
	return time.AfterFunc(Deadline, func() {
		panic(fmt.Sprintf("%s of %d bytes still running after %s", what, n, Deadline))
	}).Stop
}

// YAMLLines bounds the lines of data as a YAML reader counts them: a bare
// carriage return (and, in YAML 1.1, NEL, LS and PS) breaks a line too, as
// it does in most editors.
func YAMLLines(data []byte) int {
	n := 1
	for _, sep := range []string{"\n", "\r", "\u0085", "\u2028", "\u2029"} {
		n += bytes.Count(data, []byte(sep))
	}
	return n
}
