package awsconfig

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/graph"
)

// Raw reads a config or credentials file into the document conftest hands
// a policy as `input` for an INI file, so policies written for conftest
// run unchanged: an object per section, named as its header is written
// ("profile dev", "default"), of key → value. Conftest reads the file
// with go-ini's defaults and then types each value, and Raw does the
// same, which is not how the AWS CLI reads it (see Load):
//
//   - keys keep their case; a key or a section given twice is one, the
//     last value winning;
//   - keys before any section, and a [DEFAULT] section, are dropped;
//   - indentation means nothing: the lines under `s3 =` are keys of the
//     section, and `s3` is "";
//   - a value loses what follows a # or ; (an inline comment) and one pair
//     of quotes around it; a value ending in \ runs on over the next
//     lines; a value opened with """ or ` runs to the matching quote (its
//     line breaks are \n here, where conftest keeps a file's \r\n);
//   - a key named - is numbered #1, #2… within its section;
//   - a value that reads as a finite number becomes a number (so an
//     account ID written with a leading 0 loses it), one that reads as a
//     Go bool (true, false, t, F, 0, 1…) a bool; anything else stays text.
//
// Every value carries the line and column of its key. Lines conftest
// cannot read at all fail its whole file; here they are reported and
// skipped, except an indented line without = or :, which the AWS CLI
// reads as the continuation of the value above: it is joined to that
// value, with a warning that conftest rejects the file.
//
// Secrets (aws_secret_access_key, session tokens) are kept as written,
// unlike in Load: a policy must be able to test them (is a long-term key
// present, does it look like one), and what a finding shows of them is
// for the policy engine to decide.
func Raw(data []byte, file string) (*graph.Value, diag.List) {
	r := &rawReader{file: file, count: 1,
		root: &graph.Value{Kind: graph.Map, Map: graph.NewFields(0), Range: graph.Range{File: file, Line: 1, Column: 1, EndLine: 1}}}
	// go-ini drops a UTF-16 byte order mark as well as a UTF-8 one.
	if bytes.HasPrefix(data, []byte{0xfe, 0xff}) || bytes.HasPrefix(data, []byte{0xff, 0xfe}) {
		data = data[2:]
	}
	// go-ini sees each line with its line break, and some of its rules
	// turn on the length of that text, so note the one line that has none.
	d := bytes.TrimPrefix(data, []byte("\ufeff"))
	r.lastLine = bytes.Count(d, []byte{'\n'})
	if len(d) > 0 && d[len(d)-1] != '\n' && d[len(d)-1] != '\r' {
		r.lastLine++
		r.bareEnd = true
	}
	forLines(data, func(n int, ln []byte) bool {
		r.line(n, ln)
		r.root.Range.EndLine = int32(n)
		return true
	})
	r.finishEOF()
	return r.root, r.diags
}

type rawReader struct {
	file  string
	root  *graph.Value
	cur   *graph.Value // the section being read; nil drops its keys
	count int          // numbers the next "-" key
	diags diag.List

	// The key read last in the section, and its text before typing,
	// for an AWS CLI continuation line.
	last    *graph.Value
	lastKey string
	lastRaw string

	// A value still open on the lines that follow.
	pending *pendingValue

	lastLine int
	bareEnd  bool // the last line ends the file without a line break
}

type pendingValue struct {
	key   string
	text  string
	quote string // `"""` or "`" for a quoted value; "" for a \ continuation
	line  int
	col   int
	end   int // the last line taken
}

func (r *rawReader) problem(sev diag.Severity, line, col int, summary, detail string) {
	r.diags = append(r.diags, diag.Diagnostic{Severity: sev, File: r.file, Line: line, Column: col,
		Summary: summary, Detail: detail})
}

func (r *rawReader) line(n int, ln []byte) {
	if r.pending != nil {
		r.continueValue(n, ln)
		return
	}
	s := bytes.TrimLeftFunc(ln, unicode.IsSpace)
	if len(s) == 0 || s[0] == '#' || s[0] == ';' {
		return
	}
	col := len(ln) - len(s) + 1
	if s[0] == '[' {
		r.section(n, col, s)
		return
	}
	brk := n != r.lastLine || !r.bareEnd
	key, value, ok := splitRawOption(s, brk)
	if !ok {
		if r.last != nil && col > int(r.last.Range.Column) && !bytes.ContainsAny(s, "=:") {
			r.lastRaw += "\n" + string(bytes.TrimSpace(s))
			r.set(r.lastKey, r.lastRaw, int(r.last.Range.Line), int(r.last.Range.Column), n)
			r.problem(diag.Warning, n, col, "line conftest cannot read",
				"the AWS CLI reads an indented line as more of the value above, and it is read so here; conftest rejects the file")
			return
		}
		r.problem(diag.Error, n, col, "malformed line",
			"expected key = value, a [section] header or a comment (# or ;); conftest rejects the file; the line is skipped")
		return
	}
	if key == "-" {
		key = "#" + strconv.Itoa(r.count)
		r.count++
	}
	r.value(n, col, key, value, brk)
}

// section starts the section a header names. The name is the text between
// "[" and the last "]", spaces included, as go-ini takes it; header()
// trims it, as the AWS CLI does.
func (r *rawReader) section(n, col int, s []byte) {
	r.count, r.last = 1, nil
	j := bytes.LastIndexByte(s, ']')
	if j < 1 {
		r.cur = nil
		r.problem(diag.Error, n, col, "malformed section header", "a section header is [name]; conftest rejects the file; the lines up to the next section are skipped")
		return
	}
	name := string(s[1:j])
	switch {
	case name == "":
		r.cur = nil
		r.problem(diag.Error, n, col, "malformed section header", "the section has no name; conftest rejects the file; the lines up to the next section are skipped")
	case name == "DEFAULT":
		// go-ini files keys written before any section under DEFAULT, and
		// conftest leaves DEFAULT out.
		r.cur = nil
	case r.root.Map.Get(name) != nil:
		r.cur = r.root.Map.Get(name)
	default:
		r.cur = &graph.Value{Kind: graph.Map, Map: graph.NewFields(0),
			Range: graph.Range{File: r.file, Line: int32(n), Column: int32(col), EndLine: int32(n)}}
		r.root.Map.Set(name, r.cur)
	}
}

// splitRawOption splits a key line as go-ini does: at the first = or :,
// unless the key is quoted ("key", """key""" or `key`), when the
// delimiter is looked for after the closing quote. brk tells whether a
// line break follows s, which go-ini counts in its length. The value is
// trimmed on the left only: blanks before the end of the line are part of
// a value that opens a multi-line quote.
func splitRawOption(s []byte, brk bool) (key, value string, ok bool) {
	n := len(s)
	if brk {
		n++
	}
	q := ""
	switch {
	case n > 6 && bytes.HasPrefix(s, []byte(`"""`)):
		q = `"""`
	case s[0] == '"':
		q = `"`
	case s[0] == '`':
		q = "`"
	}
	if q == "" {
		key, _, ok = splitOption(s)
		if !ok {
			return "", "", false
		}
		rest := s[bytes.IndexAny(s, "=:")+1:]
		return key, string(bytes.TrimLeftFunc(rest, unicode.IsSpace)), true
	}
	str := string(s)
	end := strings.Index(str[len(q):], q)
	if end < 0 {
		return "", "", false
	}
	end += len(q)
	// go-ini looks for the delimiter from len(q) bytes after the key's
	// closing quote starts, which is just past it.
	i := strings.IndexAny(str[end+len(q):], "=:")
	if i < 0 {
		return "", "", false
	}
	key = strings.TrimSpace(str[len(q):end])
	if key == "" {
		return "", "", false
	}
	return key, strings.TrimLeftFunc(str[end+len(q)+i+1:], unicode.IsSpace), true
}

// value reads the value of one key as go-ini does; it may open a value
// that runs on over the lines that follow. brk tells whether a line break
// follows v: go-ini takes """ for a quote only when the text from it to
// the end of the line, line break included, is longer than that.
func (r *rawReader) value(n, col int, key, v string, brk bool) {
	var q string
	switch {
	case strings.HasPrefix(v, `"""`) && (len(v) > 3 || brk):
		q = `"""`
	case strings.HasPrefix(v, "`"):
		q = "`"
	}
	if q != "" {
		if end := strings.LastIndex(v[len(q):], q); end >= 0 {
			r.set(key, v[len(q):len(q)+end], n, col, n)
			return
		}
		r.pending = &pendingValue{key: key, text: v[len(q):] + "\n", quote: q, line: n, col: col, end: n}
		return
	}
	v = strings.TrimSpace(v)
	if strings.HasSuffix(v, `\`) {
		r.pending = &pendingValue{key: key, text: v[:len(v)-1], line: n, col: col, end: n}
		return
	}
	if i := strings.IndexAny(v, "#;"); i >= 0 {
		v = strings.TrimSpace(v[:i])
	}
	if surroundedBy(v, '\'') || surroundedBy(v, '"') {
		v = v[1 : len(v)-1]
	}
	r.set(key, v, n, col, n)
}

// surroundedBy reports whether s is quoted with q and holds no other q.
func surroundedBy(s string, q byte) bool {
	return len(s) >= 2 && s[0] == q && s[len(s)-1] == q && strings.IndexByte(s[1:], q) == len(s)-2
}

// continueValue takes one more line into the value left open.
func (r *rawReader) continueValue(n int, ln []byte) {
	p := r.pending
	if p.quote == "" {
		// A blank line ends the value and is taken with it.
		next := strings.TrimSpace(string(ln))
		if next == "" {
			r.finish()
			return
		}
		p.text += next
		p.end = n
		if strings.HasSuffix(p.text, `\`) {
			p.text = p.text[:len(p.text)-1]
			return
		}
		r.finish()
		return
	}
	s := string(ln)
	end := strings.LastIndex(s, p.quote)
	// A \ after the closing quote continues the value, quote and all.
	p.end = n
	if end < 0 || strings.HasSuffix(strings.TrimSpace(s[end+len(p.quote):]), `\`) {
		p.text += s + "\n"
		return
	}
	p.text += s[:end]
	r.finish()
}

func (r *rawReader) finish() {
	p := r.pending
	r.pending = nil
	r.set(p.key, p.text, p.line, p.col, p.end)
}

// finishEOF ends a value still open at the end of the file. A quoted
// value the file never closes fails conftest's whole file.
func (r *rawReader) finishEOF() {
	p := r.pending
	if p == nil {
		return
	}
	if p.quote != "" {
		r.pending = nil
		r.problem(diag.Error, p.line, p.col, "unterminated quoted value",
			"the value opened with "+p.quote+" is not closed before the end of the file; conftest rejects the file; the key is skipped")
		return
	}
	r.finish()
}

// set stores a key's value, typed as conftest types it. Without a section
// (before the first one, in [DEFAULT] or under a malformed header) the
// value is read and dropped.
func (r *rawReader) set(key, raw string, line, col, endLine int) {
	if r.cur == nil {
		return
	}
	v := typedValue(raw)
	v.Range = graph.Range{File: r.file, Line: int32(line), Column: int32(col), EndLine: int32(endLine)}
	r.cur.Map.Set(key, v)
	r.cur.Range.EndLine = max(r.cur.Range.EndLine, int32(endLine))
	r.last, r.lastKey, r.lastRaw = v, key, raw
}

// typedValue is a number when strconv.ParseFloat reads the whole text as
// a finite number, else a bool when strconv.ParseBool reads it, else the
// text: conftest's order and its readers, so "1" is 1, not true.
func typedValue(s string) *graph.Value {
	if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
		return graph.NewNumber(f)
	}
	if b, err := strconv.ParseBool(s); err == nil {
		return &graph.Value{Kind: graph.Bool, Bool: b}
	}
	return &graph.Value{Kind: graph.String, Str: strings.Clone(s)}
}
