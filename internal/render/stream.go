package render

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
)

// jsonStream writes an indented JSON document piece by piece: the
// envelope by hand, each element marshalled on its own and indented where
// it stands. The reports used to marshal the whole report and then
// re-indent it, which held the output twice over in memory and spent a
// sixth of a large scan's CPU in encoding/json's indenter. The bytes are
// the same as json.Encoder with SetIndent("", "  ") and SetEscapeHTML(false)
// gives; the tests compare the two on every shape of report.
type jsonStream struct {
	w *bufio.Writer
	// compact receives one element marshalled by encoding/json, which
	// escapes its strings; out is that element indented.
	compact bytes.Buffer
	enc     *json.Encoder
	out     []byte
	err     error
}

func newJSONStream(w io.Writer) *jsonStream {
	s := &jsonStream{w: bufio.NewWriterSize(w, 64<<10)}
	s.enc = json.NewEncoder(&s.compact)
	s.enc.SetEscapeHTML(false)
	return s
}

// raw writes text as it is.
func (s *jsonStream) raw(text string) {
	if s.err == nil {
		_, s.err = s.w.WriteString(text)
	}
}

// bytes writes b as it is.
func (s *jsonStream) bytes(b []byte) {
	if s.err == nil {
		_, s.err = s.w.Write(b)
	}
}

// key writes `"name": ` on a new line at depth, after a comma unless it
// is the object's first member. Names are the schema's own, which need no
// escaping.
func (s *jsonStream) key(name string, depth int, first bool) {
	if !first {
		s.raw(",")
	}
	s.out = appendNewline(s.out[:0], depth)
	s.out = append(s.out, '"')
	s.out = append(s.out, name...)
	s.out = append(s.out, '"', ':', ' ')
	s.bytes(s.out)
}

// value writes v at depth: its first line where the writer stands, the
// lines below it indented from depth.
func (s *jsonStream) value(v any, depth int) {
	if s.err != nil {
		return
	}
	s.compact.Reset()
	if err := s.enc.Encode(v); err != nil {
		s.err = err
		return
	}
	b := bytes.TrimSuffix(s.compact.Bytes(), []byte{'\n'})
	s.out = appendIndented(s.out[:0], b, depth)
	s.bytes(s.out)
}

// field writes a member whose value is marshalled whole.
func (s *jsonStream) field(name string, v any, depth int, first bool) {
	s.key(name, depth, first)
	s.value(v, depth)
}

// array writes n elements, each by elem at depth+1, as a JSON array
// whose brackets stand at depth. An empty array is [] as encoding/json
// writes it.
func (s *jsonStream) array(n, depth int, elem func(i int)) {
	if n == 0 {
		s.raw("[]")
		return
	}
	s.raw("[")
	for i := range n {
		if i > 0 {
			s.raw(",")
		}
		s.out = appendNewline(s.out[:0], depth+1)
		s.bytes(s.out)
		elem(i)
		if s.err != nil {
			return
		}
	}
	s.out = appendNewline(s.out[:0], depth)
	s.out = append(s.out, ']')
	s.bytes(s.out)
}

// finish flushes what is buffered and returns the first error met.
func (s *jsonStream) finish() error {
	if s.err != nil {
		return s.err
	}
	return s.w.Flush()
}

func appendNewline(dst []byte, depth int) []byte {
	dst = append(dst, '\n')
	for range depth {
		dst = append(dst, ' ', ' ')
	}
	return dst
}

// appendIndented indents compact JSON as encoding/json's Indent does with
// an indent of two spaces and a prefix of depth indents: a newline after
// every opening bracket and comma, one before every closing bracket, ": "
// between key and value, and empty objects and arrays kept as {} and [].
// src comes from encoding/json, so it is valid and holds no space outside
// strings; only strings need tracking, which makes this a plain byte loop
// where Indent runs its validating scanner over every byte.
func appendIndented(dst, src []byte, depth int) []byte {
	start := 0
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch c {
		case '"':
			i = stringEnd(src, i+1)
		case '{', '[':
			dst = append(dst, src[start:i+1]...)
			start = i + 1
			if i+1 < len(src) && (src[i+1] == '}' || src[i+1] == ']') {
				// Empty: the closing bracket follows on the same line.
				dst = append(dst, src[i+1])
				i++
				start = i + 1
				continue
			}
			depth++
			dst = appendNewline(dst, depth)
		case ',':
			dst = append(dst, src[start:i+1]...)
			start = i + 1
			dst = appendNewline(dst, depth)
		case ':':
			dst = append(dst, src[start:i+1]...)
			start = i + 1
			dst = append(dst, ' ')
		case '}', ']':
			dst = append(dst, src[start:i]...)
			start = i
			depth--
			dst = appendNewline(dst, depth)
		}
	}
	return append(dst, src[start:]...)
}

// stringEnd returns the index of the quote closing the JSON string whose
// text starts at i: the first quote not escaped by an odd run of
// backslashes. Most of a report is string text, so the quote is found
// with IndexByte rather than by looking at every byte.
func stringEnd(src []byte, i int) int {
	for {
		j := bytes.IndexByte(src[i:], '"')
		if j < 0 {
			return len(src) - 1
		}
		q := i + j
		n := 0
		for k := q - 1; k >= i && src[k] == '\\'; k-- {
			n++
		}
		if n%2 == 0 {
			return q
		}
		i = q + 1
	}
}
