package tfhcl

import (
	"bytes"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// tooDeepToParse reports where data first nests deeper than rawMaxDepth.
// HCL's parser recurses once per level, and a file nested a hundred
// thousand levels deep overflows the goroutine stack, which is fatal, not
// a panic that could be recovered.
//
// The depth is the one HCL's lexer gives (lexedDepth), but lexing a file
// costs nearly as much as parsing it, so the bytes are scanned first,
// following the lexer's modes (code, quoted templates, heredocs, comments)
// without building tokens. Only when that scan finds the limit passed, or
// meets input whose lexing it does not follow exactly (bytes that are not
// UTF-8, a heredoc marker that is not ASCII, a lone carriage return in a
// heredoc), is the lexer asked: the verdict, and the position reported,
// are always the lexer's, so no file is refused that the lexer's count
// accepts.
func tooDeepToParse(data []byte, filename string) (hcl.Pos, bool) {
	if _, sure := scanDepth(data, rawMaxDepth); sure {
		return hcl.Pos{}, false
	}
	return lexedDepth(data, filename)
}

// lexedDepth counts nesting over HCL's own tokens; its lexer does not
// recurse, so it is safe on any input.
func lexedDepth(data []byte, filename string) (hcl.Pos, bool) {
	toks, _ := hclsyntax.LexConfig(data, filename, hcl.InitialPos)
	depth := 0
	for _, t := range toks {
		switch t.Type {
		// A string is no level of its own: only what can nest inside it
		// (an interpolation) is, so "${"${x}"}" is two levels, as a reader
		// counts them.
		case hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenOParen,
			hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
			if depth++; depth > rawMaxDepth {
				return t.Range.Start, true
			}
		case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen, hclsyntax.TokenTemplateSeqEnd:
			depth = max(0, depth-1)
		}
	}
	return hcl.Pos{}, false
}

// A scanFrame is one of the lexer's modes, stacked as its machine calls
// them: code, a quoted template, or a heredoc with its closing marker and
// whether the next token starts a line (only a whole line can close it).
type scanFrame struct {
	kind        byte
	marker      []byte
	startOfLine bool
}

const (
	inCode byte = iota
	inQuoted
	inHeredoc
)

// scanDepth returns the deepest nesting of data as lexedDepth counts it,
// stopping as soon as it passes stop. sure is false when the scan passed
// stop or met input it does not follow exactly; the count is then not to
// be trusted and the lexer must be asked.
//
// It mirrors the lexer's rules (hclsyntax/scan_tokens.rl): braces count
// every { and }, and a } closes an interpolation when the count is back
// where the interpolation opened it; "$${" and "%%{" are literal text;
// a backslash escapes the next character in a quoted template, not in a
// heredoc; a heredoc ends at a line, begun at the start of a line, that is
// its marker once surrounding white space is trimmed; an unterminated /*
// is a / token.
func scanDepth(data []byte, stop int) (deepest int, sure bool) {
	if !utf8.Valid(data) {
		return 0, false
	}
	depth, braces := 0, 0
	var retBraces []int
	frames := []scanFrame{{kind: inCode}}
	noBlockEnd := false // no */ after the last search: an unterminated /* stays a /
	open := func() bool {
		depth++
		deepest = max(deepest, depth)
		return depth <= stop
	}
	// closeBrace handles } and ~}: both end an interpolation whose count
	// they meet, and otherwise close a level.
	closeBrace := func() {
		depth = max(0, depth-1)
		if n := len(retBraces); n > 0 && retBraces[n-1] == braces {
			retBraces = retBraces[:n-1]
			frames = frames[:len(frames)-1]
		}
		braces--
	}
	// template handles $ and % in a template; it returns where the scan
	// goes on and false when the nesting passed stop.
	template := func(i int) (int, bool) {
		c := data[i]
		switch {
		case i+1 < len(data) && data[i+1] == '{':
			braces++
			retBraces = append(retBraces, braces)
			for k := len(frames) - 1; k >= 0; k-- {
				if frames[k].kind == inHeredoc {
					frames[k].startOfLine = false
					break
				}
			}
			frames = append(frames, scanFrame{kind: inCode})
			i += 2
			if i < len(data) && data[i] == '~' {
				i++
			}
			return i, open()
		case i+2 < len(data) && data[i+1] == c && data[i+2] == '{':
			return i + 3, true
		}
		return i + 1, true
	}
	n := len(data)
	for i := 0; i < n; {
		f := &frames[len(frames)-1]
		c := data[i]
		switch f.kind {
		case inCode:
			switch c {
			case '{':
				braces++
				if !open() {
					return deepest, false
				}
				i++
			case '}':
				closeBrace()
				i++
			case '~':
				if i+1 < n && data[i+1] == '}' {
					closeBrace()
					i += 2
				} else {
					i++
				}
			case '[', '(':
				if !open() {
					return deepest, false
				}
				i++
			case ']', ')':
				depth = max(0, depth-1)
				i++
			case '"':
				frames = append(frames, scanFrame{kind: inQuoted})
				i++
			case '#':
				i = lineEnd(data, i)
			case '/':
				switch {
				case i+1 < n && data[i+1] == '/':
					i = lineEnd(data, i)
				case i+1 < n && data[i+1] == '*' && !noBlockEnd:
					if j := bytes.Index(data[i+2:], []byte("*/")); j >= 0 {
						i += 2 + j + 2
					} else {
						noBlockEnd = true
						i++
					}
				default:
					i++
				}
			case '<':
				marker, next, ok := heredocIntro(data, i)
				if !ok {
					return deepest, false
				}
				if marker != nil {
					frames = append(frames, scanFrame{kind: inHeredoc, marker: marker, startOfLine: true})
				}
				i = next
			default:
				i++
			}
		case inQuoted:
			switch c {
			case '"':
				frames = frames[:len(frames)-1]
				i++
			case '\\':
				// An escape takes the next character unless it ends the
				// line; a multi-byte one is skipped byte by byte after.
				if i+1 < n && data[i+1] != '\n' && data[i+1] != '\r' {
					i += 2
				} else {
					i++
				}
			case '$', '%':
				var ok bool
				if i, ok = template(i); !ok {
					return deepest, false
				}
			default:
				i++
			}
		case inHeredoc:
			if f.startOfLine {
				closed, ok := heredocEnd(data, i, f.marker)
				if !ok {
					return deepest, false
				}
				if closed >= 0 {
					// The newline after the marker is the code's.
					frames = frames[:len(frames)-1]
					i = closed
					continue
				}
				f.startOfLine = false
			}
			switch c {
			case '\n':
				f.startOfLine = true
				i++
			case '\r':
				if i+1 < n && data[i+1] == '\n' {
					i++
				} else {
					// The lexer stops at a lone carriage return here.
					return deepest, false
				}
			case '$', '%':
				var ok bool
				if i, ok = template(i); !ok {
					return deepest, false
				}
			default:
				i++
			}
		}
	}
	return deepest, true
}

// lineEnd is where a comment that starts at i ends: after its newline.
func lineEnd(data []byte, i int) int {
	if j := bytes.IndexByte(data[i:], '\n'); j >= 0 {
		return i + j + 1
	}
	return len(data)
}

func isIdentStart(c byte) bool {
	return c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

func isIdentPart(c byte) bool {
	return isIdentStart(c) || c == '-' || ('0' <= c && c <= '9')
}

// heredocIntro reads a heredoc introducer (<<EOT or <<-EOT, then a
// newline) at data[i] == '<'. It returns the marker and where the heredoc's
// text starts, or a nil marker and i+1 when this < is an operator; ok is
// false when a non-ASCII character makes the answer depend on Unicode's
// identifier classes, which the lexer applies and this scan does not.
func heredocIntro(data []byte, i int) (marker []byte, next int, ok bool) {
	n := len(data)
	if i+1 >= n || data[i+1] != '<' {
		return nil, i + 1, true
	}
	j := i + 2
	if j < n && data[j] == '-' {
		j++
	}
	if j >= n {
		return nil, i + 1, true
	}
	if data[j] >= utf8.RuneSelf {
		return nil, 0, false
	}
	if !isIdentStart(data[j]) {
		return nil, i + 1, true
	}
	start := j
	for j < n && data[j] < utf8.RuneSelf && isIdentPart(data[j]) {
		j++
	}
	if j < n && data[j] >= utf8.RuneSelf {
		return nil, 0, false
	}
	end := j
	if j < n && data[j] == '\r' {
		j++
	}
	if j >= n || data[j] != '\n' {
		return nil, i + 1, true
	}
	return data[start:end], j + 1, true
}

// heredocEnd tells whether the line starting at i closes a heredoc with
// this marker: the lexer reads a line free of $ and % as one token and
// compares it, trimmed, with the marker. It returns the position of the
// line's newline when it closes, -1 when it does not, and ok false on a
// lone carriage return, where the lexer stops.
func heredocEnd(data []byte, i int, marker []byte) (closed int, ok bool) {
	j := bytes.IndexByte(data[i:], '\n')
	if j < 0 {
		// The last line has no newline: it cannot close the heredoc.
		return -1, true
	}
	line := data[i : i+j+1]
	for k, c := range line {
		switch c {
		case '$', '%':
			return -1, true
		case '\r':
			if k != len(line)-2 {
				return -1, false
			}
		}
	}
	if !bytes.Equal(bytes.TrimSpace(line), marker) {
		return -1, true
	}
	nl := i + j
	if nl > i && data[nl-1] == '\r' {
		nl--
	}
	return nl, true
}
