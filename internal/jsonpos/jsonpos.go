// Package jsonpos parses JSON into graph values that remember the line and
// column each value was written at, so findings on JSON inputs (plan files,
// policies, templates) can point at the exact line.
package jsonpos

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/go-json-experiment/json/jsontext"
)

// MaxDepth bounds nesting so hostile input cannot exhaust the stack or
// memory of later recursive walks.
const MaxDepth = 256

// Lines maps byte offsets to 1-based line and column numbers.
type Lines struct{ starts []int }

// NewLines indexes the line starts of data.
func NewLines(data []byte) *Lines {
	starts := make([]int, 1, bytes.Count(data, []byte{'\n'})+1)
	for i, c := range data {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &Lines{starts: starts}
}

// Pos returns the line and column of a byte offset.
func (l *Lines) Pos(off int) (line, col int) {
	i := sort.Search(len(l.starts), func(i int) bool { return l.starts[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	return i + 1, off - l.starts[i] + 1
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
	lines := NewLines(data)
	dec := jsontext.NewDecoder(bytes.NewReader(data))
	p := &parser{dec: dec, lines: lines, file: file, data: data}
	v, err := p.value(0)
	if err != nil {
		return nil, p.wrap(err)
	}
	if _, err := dec.ReadToken(); err != io.EOF {
		if err == nil {
			err = errors.New("unexpected data after the top-level value")
		}
		return nil, p.wrap(err)
	}
	return v, nil
}

type parser struct {
	dec   *jsontext.Decoder
	lines *Lines
	file  string
	data  []byte
}

func (p *parser) wrap(err error) error {
	var d diag.Diagnostic
	if errors.As(err, &d) {
		return d
	}
	off := int(p.dec.InputOffset())
	var se *jsontext.SyntacticError
	msg := err.Error()
	if errors.As(err, &se) {
		off = int(se.ByteOffset)
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
	off := int(p.dec.InputOffset()) - 1
	if off < 0 {
		off = 0
	}
	line, col := p.lines.Pos(off)
	return graph.Range{File: p.file, Line: line, Column: col}
}

func (p *parser) value(depth int) (*graph.Value, error) {
	if depth > MaxDepth {
		line, col := p.lines.Pos(int(p.dec.InputOffset()))
		return nil, diag.Diagnostic{Severity: diag.Error, File: p.file, Line: line, Column: col,
			Summary: "invalid JSON", Detail: fmt.Sprintf("nesting deeper than %d levels", MaxDepth)}
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
	case '"':
		return &graph.Value{Kind: graph.String, Str: tok.String(), Range: rng}, nil
	case '0':
		// An out-of-range number comes back as ±Inf with an error; a
		// reader still sees a number, so keep it rather than fail the file.
		n, _ := tok.Float()
		return &graph.Value{Kind: graph.Number, Num: n, Range: rng}, nil
	case '{':
		m := map[string]*graph.Value{}
		for p.dec.PeekKind() != '}' {
			kt, err := p.dec.ReadToken()
			if err != nil {
				return nil, err
			}
			key := kt.String()
			keyRange := p.rangeAt()
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			// An attribute is located where its key is written; for
			// objects and arrays that is the line a reader looks for.
			if v.Range.Line != keyRange.Line {
				v.Range = keyRange
			}
			m[key] = v
		}
		if _, err := p.dec.ReadToken(); err != nil {
			return nil, err
		}
		end := p.rangeAt()
		rng.EndLine = end.Line
		return &graph.Value{Kind: graph.Map, Map: m, Range: rng}, nil
	case '[':
		var l []*graph.Value
		for p.dec.PeekKind() != ']' {
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
		}
		if _, err := p.dec.ReadToken(); err != nil {
			return nil, err
		}
		end := p.rangeAt()
		rng.EndLine = end.Line
		return &graph.Value{Kind: graph.List, List: l, Range: rng}, nil
	}
	return nil, fmt.Errorf("unexpected token %v", tok)
}
