package jsonpos

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/eksguard/eksguard/internal/graph"
)

// fastParser reads well-formed JSON in one pass over the bytes, giving the
// tree and positions the token decoder gives (parser), at a third of its
// cost on a large plan: no token objects, line and column counted as it
// goes, and short keys and strings shared as parser shares them. It knows
// no error messages: on anything it does not accept as plainly valid
// (bad syntax, invalid UTF-8, escaped surrogates, duplicate keys, nesting
// past MaxDepth) it gives up and Parse reads the input again with parser,
// whose diagnostics are the ones reported. FuzzFastMatchesDecoder holds
// the two to the same results.
type fastParser struct {
	data      []byte
	pos       int
	line      int // 1-based line of pos
	lineStart int // offset of the first byte of that line
	file      string
	// strs shares the text of short keys and strings, as parser does.
	strs strTable
	buf  []byte
	// members holds the members of the objects being read, innermost
	// last.
	members []graph.Field
	// slabs allocates values many at a time, into slab: a plan holds
	// hundreds of thousands. Only for a tree kept whole: a value kept
	// keeps the values allocated with it.
	slabs bool
	slab  []graph.Value
}

// slabSize is how many values are allocated at once.
const slabSize = 256

// newValue is a fresh value of the kind given.
func (p *fastParser) newValue(k graph.Kind) *graph.Value {
	if !p.slabs {
		return &graph.Value{Kind: k}
	}
	if len(p.slab) == 0 {
		p.slab = make([]graph.Value, slabSize)
	}
	v := &p.slab[0]
	p.slab = p.slab[1:]
	v.Kind = k
	return v
}

func parseFast(data []byte, file string, slabs bool) (*graph.Value, bool) {
	p := &fastParser{data: data, line: 1, file: file, slabs: slabs}
	p.space()
	v, ok := p.value(0)
	if !ok {
		return nil, false
	}
	p.space()
	if p.pos != len(p.data) {
		return nil, false
	}
	return v, true
}

// space skips JSON whitespace, counting lines.
func (p *fastParser) space() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case '\n':
			p.line++
			p.lineStart = p.pos + 1
		case ' ', '\t', '\r':
		default:
			return
		}
		p.pos++
	}
}

// at is the range of the byte at off, on the current line: the decoder's
// parser places a token at its last byte, and no token spans lines.
func (p *fastParser) at(off int) graph.Range {
	return graph.Range{File: p.file, Line: graph.Clamp32(p.line), Column: graph.Clamp32(off - p.lineStart + 1)}
}

func (p *fastParser) value(depth int) (*graph.Value, bool) {
	if depth > MaxDepth || p.pos >= len(p.data) {
		return nil, false
	}
	switch c := p.data[p.pos]; c {
	case '{':
		return p.object(depth)
	case '[':
		return p.array(depth)
	case '"':
		s, ok := p.str(true)
		if !ok {
			return nil, false
		}
		v := p.newValue(graph.String)
		v.Str, v.Range = s, p.at(p.pos-1)
		return v, true
	case 't':
		return p.literal("true", graph.Bool, true)
	case 'f':
		return p.literal("false", graph.Bool, false)
	case 'n':
		return p.literal("null", graph.Null, false)
	default:
		if c == '-' || c >= '0' && c <= '9' {
			return p.number()
		}
	}
	return nil, false
}

func (p *fastParser) object(depth int) (*graph.Value, bool) {
	rng := p.at(p.pos)
	p.pos++
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		rng.EndLine = graph.Clamp32(p.line)
		p.pos++
		return p.container(graph.Map, graph.NewFields(0), nil, rng), true
	}
	// The members gather on top of the parser's stack of them (those of
	// the objects around this one stay below) and become the object's
	// fields at its end, sized once.
	base := len(p.members)
	defer func() { p.members = p.members[:base] }()
	for {
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return nil, false
		}
		key, ok := p.str(false)
		if !ok {
			return nil, false
		}
		keyRange := p.at(p.pos - 1)
		p.space()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return nil, false
		}
		p.pos++
		p.space()
		v, ok := p.value(depth + 1)
		if !ok {
			return nil, false
		}
		// As parser does: an attribute is located where its key is
		// written when its value starts on another line.
		if v.Range.Line != keyRange.Line {
			v.Range = keyRange
		}
		p.members = append(p.members, graph.Field{Key: key, Value: v})
		switch p.next('}', &rng) {
		case closed:
			m, dup := graph.FieldsFrom(p.members[base:])
			if dup {
				// A duplicate key: parser reports it.
				return nil, false
			}
			return p.container(graph.Map, m, nil, rng), true
		case broken:
			return nil, false
		}
	}
}

type step int

const (
	more step = iota
	closed
	broken
)

// next reads what follows a member or element: a comma, or close, which
// ends the container at rng.
func (p *fastParser) next(close byte, rng *graph.Range) step {
	p.space()
	if p.pos >= len(p.data) {
		return broken
	}
	switch p.data[p.pos] {
	case ',':
		p.pos++
		p.space()
		return more
	case close:
		rng.EndLine = graph.Clamp32(p.line)
		p.pos++
		return closed
	}
	return broken
}

func (p *fastParser) array(depth int) (*graph.Value, bool) {
	rng := p.at(p.pos)
	p.pos++
	var l []*graph.Value
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		rng.EndLine = graph.Clamp32(p.line)
		p.pos++
		return p.container(graph.List, nil, l, rng), true
	}
	for {
		v, ok := p.value(depth + 1)
		if !ok {
			return nil, false
		}
		l = append(l, v)
		switch p.next(']', &rng) {
		case closed:
			return p.container(graph.List, nil, l, rng), true
		case broken:
			return nil, false
		}
	}
}

func (p *fastParser) container(k graph.Kind, m *graph.Fields, l []*graph.Value, rng graph.Range) *graph.Value {
	v := p.newValue(k)
	v.Map, v.List, v.Range = m, l, rng
	return v
}

// literal reads true, false or null, which must end there.
func (p *fastParser) literal(word string, k graph.Kind, b bool) (*graph.Value, bool) {
	end := p.pos + len(word)
	if end > len(p.data) || string(p.data[p.pos:end]) != word || !p.delimited(end) {
		return nil, false
	}
	v := p.newValue(k)
	v.Bool, v.Range = b, p.at(end-1)
	p.pos = end
	return v, true
}

// delimited tells whether a literal or number ending before off is not
// run into more text (truex, 12a).
func (p *fastParser) delimited(off int) bool {
	if off == len(p.data) {
		return true
	}
	switch p.data[off] {
	case ' ', '\t', '\r', '\n', ',', ']', '}':
		return true
	}
	return false
}

// number reads a number of JSON's grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *fastParser) number() (*graph.Value, bool) {
	d, start := p.data, p.pos
	i := start
	if d[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
			n++
		}
		return n
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case digits() == 0:
		return nil, false
	}
	if i < len(d) && d[i] == '.' {
		i++
		if digits() == 0 {
			return nil, false
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if digits() == 0 {
			return nil, false
		}
	}
	if !p.delimited(i) {
		return nil, false
	}
	// As the decoder: out of range is ±Inf, kept as a number.
	n, _ := strconv.ParseFloat(string(d[start:i]), 64)
	p.pos = i
	v := p.newValue(graph.Number)
	v.SetNum(n)
	v.Range = p.at(i - 1)
	return v, true
}

// str reads a string, leaving pos past its closing quote.
func (p *fastParser) str(key bool) (string, bool) {
	d := p.data
	i := p.pos + 1
	start := i
	ascii := true
	for {
		if i >= len(d) {
			return "", false
		}
		c := d[i]
		if c == '"' {
			break
		}
		if c == '\\' {
			return p.escaped(start, key)
		}
		if c < 0x20 {
			return "", false
		}
		if c >= 0x80 {
			ascii = false
		}
		i++
	}
	raw := d[start:i]
	if !ascii && !utf8.Valid(raw) {
		return "", false
	}
	p.pos = i + 1
	return p.text(raw, key), true
}

func (p *fastParser) text(b []byte, key bool) string {
	if key {
		return p.strs.get(b, maxSharedKey)
	}
	return p.strs.get(b, maxShared)
}

// escaped reads a string holding escapes, from its first byte at start.
func (p *fastParser) escaped(start int, key bool) (string, bool) {
	d := p.data
	buf := p.buf[:0]
	i := start
	for {
		if i >= len(d) {
			return "", false
		}
		c := d[i]
		switch {
		case c == '"':
			if !utf8.Valid(buf) {
				return "", false
			}
			p.buf = buf
			p.pos = i + 1
			return p.text(buf, key), true
		case c < 0x20:
			return "", false
		case c != '\\':
			buf = append(buf, c)
			i++
			continue
		}
		if i+1 >= len(d) {
			return "", false
		}
		switch e := d[i+1]; e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			if i+6 > len(d) {
				return "", false
			}
			r, ok := hex4(d[i+2 : i+6])
			if !ok || utf16.IsSurrogate(r) {
				// Pairs and lone halves are left to the decoder.
				return "", false
			}
			buf = utf8.AppendRune(buf, r)
			i += 6
			continue
		default:
			return "", false
		}
		i += 2
	}
}

func hex4(b []byte) (rune, bool) {
	var r rune
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
