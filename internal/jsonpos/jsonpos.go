// Package jsonpos parses JSON into graph values that remember the line and
// column each value was written at, so findings on JSON inputs (plan files,
// policies, templates) can point at the exact line.
package jsonpos

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/go-json-experiment/json/jsontext"
)

// MaxDepth bounds nesting so hostile input cannot exhaust the stack or
// memory of later recursive walks.
const MaxDepth = 256

// Lines maps byte offsets to 1-based line and column numbers.
type Lines struct {
	// starts are the offsets where lines start: 4 bytes each up to 4 GiB
	// of data (a pretty-printed plan of 80 MB is 3 million lines), wide
	// past that.
	starts []uint32
	wide   []int
}

// NewLines indexes the line starts of data.
func NewLines(data []byte) *Lines {
	n := bytes.Count(data, []byte{'\n'}) + 1
	if uint64(len(data)) > math.MaxUint32 {
		return &Lines{wide: lineStarts(data, make([]int, 1, n))}
	}
	return &Lines{starts: lineStarts(data, make([]uint32, 1, n))}
}

// lineStarts appends to starts the offset of each line after the first.
// IndexByte, not a loop over every byte.
func lineStarts[T uint32 | int](data []byte, starts []T) []T {
	for off := 0; ; {
		i := bytes.IndexByte(data[off:], '\n')
		if i < 0 {
			return starts
		}
		off += i + 1
		starts = append(starts, T(off))
	}
}

// lines is the number of lines indexed.
func (l *Lines) lines() int { return len(l.starts) + len(l.wide) }

// Pos returns the line and column of a byte offset.
func (l *Lines) Pos(off int) (line, col int) {
	line, col, _ = l.PosFrom(off, -1)
	return line, col
}

// PosFrom is Pos for a reader moving forward through the data: hint is the
// line index (line-1) PosFrom returned last, or -1. An offset on that line
// or one of the next few is found without searching: a parser asks for
// the position of every value, and a binary search over a large plan's
// million line starts misses the cache at nearly every step.
func (l *Lines) PosFrom(off, hint int) (line, col, idx int) {
	if l.wide != nil {
		return posFrom(l.wide, off, hint)
	}
	return posFrom(l.starts, off, hint)
}

func posFrom[T uint32 | int](s []T, off, hint int) (line, col, idx int) {
	if hint >= 0 && hint < len(s) && int(s[hint]) <= off {
		for range 8 {
			if hint+1 == len(s) || int(s[hint+1]) > off {
				return hint + 1, off - int(s[hint]) + 1, hint
			}
			hint++
		}
	}
	// The last line starting at or before off.
	lo, hi := 0, len(s)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if int(s[m]) <= off {
			lo = m + 1
		} else {
			hi = m
		}
	}
	i := max(lo-1, 0)
	return i + 1, off - int(s[i]) + 1, i
}

// Parse decodes one JSON document. The error, if any, is a diag.Diagnostic
// naming file, line and column.
func Parse(data []byte, file string) (*graph.Value, error) {
	if v, ok := parseFast(data, file, false); ok {
		return v, nil
	}
	return parseTokens(data, file)
}

// ParseWhole is Parse for a caller that keeps the whole tree while it
// keeps any part of it (a document read by raw policies): its values are
// allocated many at a time, which is faster but keeps each group alive
// while one of them is.
func ParseWhole(data []byte, file string) (*graph.Value, error) {
	if v, ok := parseFast(data, file, true); ok {
		return v, nil
	}
	return parseTokens(data, file)
}

// parseTokens is Parse by the token decoder, which says what is wrong
// with input the fast parser gives up on.
func parseTokens(data []byte, file string) (*graph.Value, error) {
	d := NewDoc(data, file).Decoder()
	v, err := d.Value(0)
	if err != nil {
		return nil, err
	}
	if err := d.End(); err != nil {
		return nil, err
	}
	return v, nil
}

type parser struct {
	dec   *jsontext.Decoder
	lines *Lines
	file  string
	data  []byte
	// base is the offset in data of what dec reads: a part of the
	// document decoded after it was skipped.
	base int
	strs *strTable
	// members holds the members of the objects being read, innermost
	// last (see fastParser.members).
	members []graph.Field
	// line is the line index of the last value placed, -1 before the
	// first: the hint of Lines.PosFrom.
	line int
}

func (p *parser) wrap(err error) error {
	var d diag.Diagnostic
	if errors.As(err, &d) {
		return d
	}
	off := p.base + int(p.dec.InputOffset())
	var se *jsontext.SyntacticError
	msg := err.Error()
	if errors.As(err, &se) {
		off = p.base + int(se.ByteOffset)
		msg = se.Err.Error()
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		off = len(p.data)
		msg = "unexpected end of input (truncated file?)"
	}
	line, col := p.lines.Pos(off)
	return diag.Diagnostic{Severity: diag.Error, File: p.file, Line: line, Column: col,
		Summary: "invalid JSON", Detail: msg}
}

func (p *parser) rangeAt() graph.Range {
	// InputOffset is just past the token read last; every token starts and
	// ends on one line in JSON, so the end position names its line.
	off := p.base + int(p.dec.InputOffset()) - 1
	if off < 0 {
		off = 0
	}
	line, col, idx := p.lines.PosFrom(off, p.line)
	p.line = idx
	return graph.Range{File: p.file, Line: graph.Clamp32(line), Column: graph.Clamp32(col)}
}

func (p *parser) tooDeep(depth int) error {
	if depth <= MaxDepth {
		return nil
	}
	line, col := p.lines.Pos(p.base + int(p.dec.InputOffset()))
	return diag.Diagnostic{Severity: diag.Error, File: p.file, Line: line, Column: col,
		Summary: "invalid JSON", Detail: fmt.Sprintf("nesting deeper than %d levels", MaxDepth)}
}

func (p *parser) value(depth int) (*graph.Value, error) {
	if err := p.tooDeep(depth); err != nil {
		return nil, err
	}
	switch p.dec.PeekKind() {
	case '{':
		return p.object(depth, func(string, graph.Range) (*graph.Value, error) { return p.value(depth + 1) })
	case '[':
		return p.array(depth, func() (*graph.Value, error) { return p.value(depth + 1) })
	}
	if p.dec.PeekKind() == '"' {
		str, err := p.str(maxShared)
		if err != nil {
			return nil, err
		}
		return &graph.Value{Kind: graph.String, Str: str, Range: p.rangeAt()}, nil
	}
	tok, err := p.dec.ReadToken()
	if err != nil {
		return nil, err
	}
	rng := p.rangeAt()
	switch tok.Kind() {
	case 'n':
		return &graph.Value{Kind: graph.Null, Range: rng}, nil
	case 't', 'f':
		return &graph.Value{Kind: graph.Bool, Bool: tok.Bool(), Range: rng}, nil
	case '0':
		// An out-of-range number comes back as ±Inf with an error; a
		// reader still sees a number, so keep it rather than fail the file.
		n, _ := tok.Float()
		return graph.NewNumberAt(n, rng), nil
	}
	return nil, fmt.Errorf("unexpected token %v", tok)
}

// str reads the next string, a name or a value, sharing one copy of each
// short string: a plan of 200,000 resources writes "address", "managed"
// and "create" that many times, and each copy was a value of its own.
func (p *parser) str(max int) (string, error) {
	raw, err := p.dec.ReadValue()
	if err != nil {
		return "", err
	}
	if len(raw) < 2 || raw[0] != '"' {
		return "", fmt.Errorf("unexpected value %s, want a string", raw)
	}
	body := raw[1 : len(raw)-1]
	if bytes.IndexByte(body, '\\') >= 0 {
		u, err := jsontext.AppendUnquote(nil, raw)
		return string(u), err
	}
	return p.strs.get(body, max), nil
}

// Strings shorter than these are shared; longer ones (names, ARNs,
// policy documents) rarely repeat.
const (
	maxSharedKey = 64
	maxShared    = 48
)

// strTable is a document's table of shared strings. It holds at most
// maxStrings; when full it starts again, so that a document of unique
// strings costs no more than that and the strings that repeat near each
// other (one resource's names and tags, the keys of every resource) are
// still shared far into a large one.
type strTable struct{ m map[string]string }

const maxStrings = 1 << 14

func (t *strTable) get(b []byte, max int) string {
	if len(b) > max {
		return string(b)
	}
	if s, ok := t.m[string(b)]; ok {
		return s
	}
	s := string(b)
	if t.m == nil {
		// No size hint: most documents parsed are small (each IAM policy
		// a rule reads, 70,000 of them in a large plan), and a table sized
		// for 64 strings was most of what parsing one allocated.
		t.m = map[string]string{}
	} else if len(t.m) >= maxStrings {
		clear(t.m)
	}
	t.m[s] = s
	return s
}

// open reads the token opening an object or array (kind) at depth and
// returns where it is.
func (p *parser) open(depth int, kind byte, what string) (graph.Range, error) {
	if err := p.tooDeep(depth); err != nil {
		return graph.Range{}, err
	}
	tok, err := p.dec.ReadToken()
	if err != nil {
		return graph.Range{}, err
	}
	if tok.Kind() != jsontext.Kind(kind) {
		return graph.Range{}, fmt.Errorf("unexpected token %v, want %s", tok, what)
	}
	return p.rangeAt(), nil
}

// object reads an object at depth; member reads each member's value (at
// depth+1), nil leaving the member out.
func (p *parser) object(depth int, member func(key string, keyRange graph.Range) (*graph.Value, error)) (*graph.Value, error) {
	rng, err := p.open(depth, '{', "an object")
	if err != nil {
		return nil, err
	}
	base := len(p.members)
	defer func() { p.members = p.members[:base] }()
	for p.dec.PeekKind() != '}' {
		key, err := p.str(maxSharedKey)
		if err != nil {
			return nil, err
		}
		keyRange := p.rangeAt()
		v, err := member(key, keyRange)
		if err != nil {
			return nil, err
		}
		if v != nil {
			p.members = append(p.members, graph.Field{Key: key, Value: atKey(v, keyRange)})
		}
	}
	if _, err := p.dec.ReadToken(); err != nil {
		return nil, err
	}
	end := p.rangeAt()
	rng.EndLine = end.Line
	// A key written twice keeps its last value, as encoding/json does.
	m, _ := graph.FieldsFrom(p.members[base:])
	return &graph.Value{Kind: graph.Map, Map: m, Range: rng}, nil
}

// atKey locates an attribute where its key is written; for objects and
// arrays that is the line a reader looks for.
func atKey(v *graph.Value, keyRange graph.Range) *graph.Value {
	if v.Range.Line != keyRange.Line {
		v.Range = keyRange
	}
	return v
}

// array reads an array at depth; elem reads each element (at depth+1),
// nil leaving it out.
func (p *parser) array(depth int, elem func() (*graph.Value, error)) (*graph.Value, error) {
	rng, err := p.open(depth, '[', "an array")
	if err != nil {
		return nil, err
	}
	var l []*graph.Value
	for p.dec.PeekKind() != ']' {
		v, err := elem()
		if err != nil {
			return nil, err
		}
		if v != nil {
			l = append(l, v)
		}
	}
	if _, err := p.dec.ReadToken(); err != nil {
		return nil, err
	}
	end := p.rangeAt()
	rng.EndLine = end.Line
	return &graph.Value{Kind: graph.List, List: l, Range: rng}, nil
}

// Doc is one JSON document read in parts: a reader that needs only some
// of a large document (of a plan, the values resources will have, not
// their prior state) decodes those parts as Parse would, positions
// included, skips the rest, and decodes a skipped part later if it turns
// out to be needed. Every part is checked as Parse checks the whole, so a
// document read this way without error is one Parse reads.
type Doc struct {
	data  []byte
	file  string
	lines *Lines
	strs  *strTable
}

// NewDoc prepares data for reading.
func NewDoc(data []byte, file string) *Doc {
	return &Doc{data: data, file: file, lines: NewLines(data), strs: &strTable{}}
}

// Decoder reads the document from its start.
func (d *Doc) Decoder() *Decoder {
	return &Decoder{doc: d, p: &parser{dec: jsontext.NewDecoder(bytes.NewReader(d.data)), lines: d.lines, file: d.file, data: d.data, strs: d.strs, line: -1}}
}

// Decoder reads one JSON value of a Doc. Its errors are diag.Diagnostic
// values naming the file, line and column, as Parse's.
type Decoder struct {
	doc *Doc
	p   *parser
}

// PeekKind is the kind of the next token: '{', '[', '"', '0', 't', 'f',
// 'n', '}' or ']'; 0 when there is none or it is invalid.
func (d *Decoder) PeekKind() byte { return byte(d.p.dec.PeekKind()) }

// Value decodes the next value, at nesting depth depth, as Parse does.
func (d *Decoder) Value(depth int) (*graph.Value, error) {
	v, err := d.p.value(depth)
	return v, d.wrap(err)
}

// Str reads the next value, at depth, as the member of an object whose key
// is at keyRange, giving its text and where it is without keeping it as a
// value: a reader that needs only the text (a plan's addresses and types,
// four for each of its resources) allocates nothing for it. A value that
// is not a string gives "" and is read and dropped. The range is the one
// Object gives the values it keeps.
func (d *Decoder) Str(depth int, keyRange graph.Range) (string, graph.Range, error) {
	if d.p.dec.PeekKind() == '"' {
		s, err := d.p.str(maxShared)
		if err != nil {
			return "", graph.Range{}, d.wrap(err)
		}
		rng := d.p.rangeAt()
		if rng.Line != keyRange.Line {
			rng = keyRange
		}
		return s, rng, nil
	}
	v, err := d.p.value(depth)
	if err != nil {
		return "", graph.Range{}, d.wrap(err)
	}
	return "", atKey(v, keyRange).Range, nil
}

// Object reads the next value, which must be an object at depth, calling
// member for each member with the decoder at the member's value; member
// must consume that value (Value, Object, Array or Skip at depth+1) and
// returns what to keep, nil for nothing. Kept values are located as Parse
// locates them.
func (d *Decoder) Object(depth int, member func(key string, keyRange graph.Range) (*graph.Value, error)) (*graph.Value, error) {
	v, err := d.p.object(depth, member)
	return v, d.wrap(err)
}

// Array reads the next value, which must be an array at depth, calling
// elem for each element; elem must consume it (at depth+1) and returns
// what to keep, nil for nothing (a reader that keeps what it needs of
// each element elsewhere).
func (d *Decoder) Array(depth int, elem func() (*graph.Value, error)) (*graph.Value, error) {
	v, err := d.p.array(depth, elem)
	return v, d.wrap(err)
}

// Part is a value of a Doc that was skipped, to be decoded later.
type Part struct {
	start, end, depth int
}

// Skip reads past the next value, at depth, checking it as Value would,
// and returns where it is.
func (d *Decoder) Skip(depth int) (Part, error) {
	p := d.p
	// The value starts after the separators that precede it.
	start := int(p.dec.InputOffset())
	for start < len(p.data)-p.base {
		c := p.data[p.base+start]
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != ':' && c != ',' {
			break
		}
		start++
	}
	top := p.dec.StackDepth()
	for {
		// A member or element of a container opened here sits that many
		// levels below depth; Value would refuse one beyond MaxDepth.
		k := p.dec.PeekKind()
		if k != '}' && k != ']' {
			if err := p.tooDeep(depth + p.dec.StackDepth() - top); err != nil {
				return Part{}, d.wrap(err)
			}
		}
		if _, err := p.dec.ReadToken(); err != nil {
			return Part{}, d.wrap(err)
		}
		if p.dec.StackDepth() == top {
			break
		}
	}
	return Part{start: p.base + start, end: p.base + int(p.dec.InputOffset()), depth: depth}, nil
}

// End checks that nothing but white space follows the value read.
func (d *Decoder) End() error {
	if _, err := d.p.dec.ReadToken(); err != io.EOF {
		if err == nil {
			err = errors.New("unexpected data after the top-level value")
		}
		return d.p.wrap(err)
	}
	return nil
}

func (d *Decoder) wrap(err error) error {
	if err == nil {
		return nil
	}
	return d.p.wrap(err)
}

// Decode decodes a part skipped earlier as Parse would have decoded it
// where it stands; key is the range of its member name, when it is the
// value of one, so it is located as Parse locates it.
func (d *Doc) Decode(part Part, key *graph.Range) (*graph.Value, error) {
	if part.end <= part.start || part.end > len(d.data) {
		return nil, errors.New("jsonpos: empty part")
	}
	sub := &Decoder{doc: d, p: &parser{dec: jsontext.NewDecoder(bytes.NewReader(d.data[part.start:part.end])),
		lines: d.lines, file: d.file, data: d.data, base: part.start, strs: d.strs, line: -1}}
	v, err := sub.Value(part.depth)
	if err != nil {
		return nil, err
	}
	if err := sub.End(); err != nil {
		return nil, err
	}
	if key != nil {
		v = atKey(v, *key)
	}
	return v, nil
}
