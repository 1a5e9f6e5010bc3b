// Package fuzzing holds what the parsers' fuzz targets share: the bound
// past which an input counts as a hang, and lines counted as a YAML reader
// counts them.
package fuzzing

import (
	"bytes"
	"fmt"
	"time"
	"unicode/utf16"
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
// it does in most editors, and a stream starting with a UTF-16 byte order
// mark is counted in the characters it decodes to (" (" in UTF-16BE is
// LS, a line break).
func YAMLLines(data []byte) int {
	if len(data) >= 2 && (data[0] == 0xfe && data[1] == 0xff || data[0] == 0xff && data[1] == 0xfe) {
		big := data[0] == 0xfe
		units := make([]uint16, 0, len(data)/2)
		for i := 2; i+1 < len(data); i += 2 {
			if big {
				units = append(units, uint16(data[i])<<8|uint16(data[i+1]))
			} else {
				units = append(units, uint16(data[i+1])<<8|uint16(data[i]))
			}
		}
		data = []byte(string(utf16.Decode(units)))
	}
	n := 1
	for _, sep := range []string{"\n", "\r", "\u0085", "\u2028", "\u2029"} {
		n += bytes.Count(data, []byte(sep))
	}
	return n
}
