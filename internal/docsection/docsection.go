// Package docsection reads and replaces the generated sections of
// hand-written documents: the lines between a line "<!-- NAME:begin -->"
// and a line "<!-- NAME:end -->". The rest of the document stays as its
// authors wrote it; a generator owns only what lies between the markers.
package docsection

import (
	"bytes"
	"fmt"
)

// markers returns the begin and end marker lines of section name.
func markers(name string) (begin, end string) {
	return "<!-- " + name + ":begin -->", "<!-- " + name + ":end -->"
}

// span finds the body of section name: from the line after the begin
// marker to the start of the end marker line.
func span(doc []byte, name string) (from, to int, err error) {
	begin, end := markers(name)
	b, e := lineIndex(doc, begin), lineIndex(doc, end)
	switch {
	case len(b) == 0:
		return 0, 0, fmt.Errorf("no line %q", begin)
	case len(e) == 0:
		return 0, 0, fmt.Errorf("no line %q", end)
	case len(b) > 1 || len(e) > 1:
		return 0, 0, fmt.Errorf("section %q is marked more than once", name)
	case e[0] < b[0]:
		return 0, 0, fmt.Errorf("%q comes before %q", end, begin)
	}
	from = b[0] + len(begin)
	if from < len(doc) && doc[from] == '\r' {
		from++
	}
	if from < len(doc) && doc[from] == '\n' {
		from++
	}
	return from, e[0], nil
}

// lineIndex returns the offsets of the lines of doc that are exactly line
// (a trailing carriage return allowed).
func lineIndex(doc []byte, line string) []int {
	var out []int
	for off := 0; off <= len(doc); {
		next := bytes.IndexByte(doc[off:], '\n')
		end := len(doc)
		if next >= 0 {
			end = off + next
		}
		if string(bytes.TrimSuffix(doc[off:end], []byte("\r"))) == line {
			out = append(out, off)
		}
		if next < 0 {
			break
		}
		off = end + 1
	}
	return out
}

// Get returns the body of section name in doc.
func Get(doc []byte, name string) ([]byte, error) {
	from, to, err := span(doc, name)
	if err != nil {
		return nil, err
	}
	return doc[from:to], nil
}

// Set returns doc with the body of section name replaced by body (given
// a final newline if it lacks one, so the end marker keeps its own line).
func Set(doc []byte, name string, body []byte) ([]byte, error) {
	from, to, err := span(doc, name)
	if err != nil {
		return nil, err
	}
	if len(body) > 0 && body[len(body)-1] != '\n' {
		body = append(body[:len(body):len(body)], '\n')
	}
	out := make([]byte, 0, len(doc)-(to-from)+len(body))
	out = append(out, doc[:from]...)
	out = append(out, body...)
	return append(out, doc[to:]...), nil
}
