// Package hclguard is the door to hclsyntax's parsers: it refuses, before
// they see it, a source from which they would build a syntax tree deep
// enough to overflow the goroutine stack.
//
// HCL's parser, the evaluation of what it builds and every walk of it
// (Variables, hclsyntax.Walk) recurse once per level of the syntax tree,
// and a tree a few hundred thousand levels deep overflows the stack: a
// fatal error that kills the process, not a panic that recover catches.
// Two things make a tree deep:
//
//   - nesting: brackets, braces, parentheses, interpolations and template
//     directives, each counted as a level while it is open, bounded by
//     MaxDepth;
//   - chains: operators, conditionals, indexes and splats written one
//     after the other, which nest the tree (a+b+c is (a+b)+c, !!x is
//     !(!x), a[*][*] a splat of a splat, a?b:c?d:e a conditional in a
//     conditional) without a bracket around each.
//
// A chain is counted per level: the operator tokens (! - + * / % == !=
// < <= > >= && || and ?), the [ that opens an index, splat or tuple, and
// every %{ of a template directive (an if or for holds everything up to
// its end), written since the level opened or since its last = or , (the
// end of an attribute, object item, argument or element: the parser has
// finished every expression before it, so nothing before it is still on
// the stack). The chain at a token is the sum of the counts of all the
// levels open there, bounded by MaxChain. Each counted token adds at most
// two levels to the syntax tree (an index, then the attributes after it)
// and each open level a few, so no tree passes a few times
// MaxDepth+MaxChain levels.
//
// The counts are the ones HCL's lexer gives (lexed). Lexing a source costs
// nearly as much as parsing it, so its bytes are scanned first (scan),
// following the lexer's modes (code, quoted templates, heredocs, comments,
// a template's bare text) and its tokens (identifiers, which may hold a -,
// and numbers, which may hold 1e-5) without building them. Only when that
// scan finds a limit passed, or meets input it does not follow exactly
// (bytes that are not UTF-8, a character outside ASCII in code or in a
// heredoc marker, a lone carriage return in a heredoc or a template's
// text), is the lexer asked (on the source up to where the scan stopped,
// when that is enough: lexedTo): the verdict, and the position reported,
// are always the lexer's, so no source is refused that the lexer's count
// accepts.
package hclguard

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/eksguard/eksguard/internal/jsonpos"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// MaxDepth bounds nesting, as jsonpos bounds JSON's.
const MaxDepth = jsonpos.MaxDepth

// MaxChain bounds the chain. The longest in 2,926 files of the public
// registry modules is 15 (TestRealConfigurations); hcl v2.25.0 overflows
// Go's 1 GB stack from about 107,000 links (nested template fors,
// evaluated), 164,000 splats, 226,000 unary operators (parsed) and
// 415,000 binary operators (evaluated) on (tfhcl's
// TestHostileInputsRefused). A chain of MaxChain links inside MaxDepth
// levels evaluates (tfhcl's TestChainsAtTheLimit).
const MaxChain = 10000

// Mode is how hclsyntax reads a source: a configuration file and an
// expression start in code, a template (a .tf.json string, a templatefile)
// in bare text.
type Mode int

const (
	Config Mode = iota
	Expression
	Template
)

// A Refusal says where a source passes a limit, and which.
type Refusal struct {
	Pos hcl.Pos
	// Chain is true when it is the chain that passes MaxChain, false when
	// it is the nesting that passes MaxDepth.
	Chain bool
}

// Summary is the diagnostic's summary.
func (r Refusal) Summary() string {
	if r.Chain {
		return "expression chain too long"
	}
	return "nesting too deep"
}

// Detail is the diagnostic's detail; what names what is not read ("the
// file").
func (r Refusal) Detail(what string) string {
	if r.Chain {
		return fmt.Sprintf("more than %d operators, conditionals, indexes, splats or template directives follow one another in one expression (counting those of the expressions around it); %s is not read", MaxChain, what)
	}
	return fmt.Sprintf("brackets, braces, parentheses, interpolations or template directives nest more than %d levels; %s is not read", MaxDepth, what)
}

// Diagnostic is the refusal as HCL's diagnostic.
func (r Refusal) Diagnostic(filename, what string) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: r.Summary(), Detail: r.Detail(what),
		Subject: &hcl.Range{Filename: filename, Start: r.Pos, End: r.Pos}}
}

// Check tells whether src, read by hclsyntax in mode from start, passes
// MaxDepth or MaxChain, and where.
func Check(src []byte, filename string, start hcl.Pos, mode Mode) (Refusal, bool) {
	return check(src, filename, start, mode, limits{MaxDepth, MaxChain})
}

// limits are the bounds checked: MaxDepth and MaxChain but in tests.
type limits struct{ depth, chain int }

func check(src []byte, filename string, start hcl.Pos, mode Mode, lim limits) (Refusal, bool) {
	_, _, stop, sure := scan(src, mode == Template, lim.depth, lim.chain)
	if sure {
		return Refusal{}, false
	}
	if stop >= 0 {
		if r, ok := lexedTo(src, stop, filename, start, mode, lim); ok {
			return r, true
		}
	}
	return lexed(src, filename, start, mode, lim)
}

// lexedTo asks the lexer about src only up to a few bytes past stop, where
// the scan found a limit passed: a hostile source of megabytes is refused
// in microseconds, not in the seconds and the hundreds of megabytes its
// tokens would take. The answer is the lexer's on the whole source when it
// refuses the token at stop: the tokens before it are those of the whole
// source, since every token is decided by the bytes up to its end and the
// next one, but for a /* whose */ lies past the cut (which leaves a / and a
// * side by side, and must be lexed whole) and for a < or / at stop that
// could open a heredoc or a comment. ok is false otherwise, and the whole
// source must be lexed.
func lexedTo(src []byte, stop int, filename string, start hcl.Pos, mode Mode, lim limits) (r Refusal, ok bool) {
	if stop+1 < len(src) && ((src[stop] == '<' && src[stop+1] == '<') || (src[stop] == '/' && src[stop+1] == '*')) {
		return Refusal{}, false
	}
	toks := lex(src[:min(len(src), stop+4)], filename, start, mode)
	n := newNesting()
	for k, t := range toks {
		if t.Type == hclsyntax.TokenStar && k > 0 && toks[k-1].Type == hclsyntax.TokenSlash && toks[k-1].Range.End.Byte == t.Range.Start.Byte {
			return Refusal{}, false
		}
		if deep, long := n.token(t.Type, lim.depth, lim.chain); deep || long {
			return Refusal{Pos: t.Range.Start, Chain: long}, t.Range.Start.Byte-start.Byte == stop
		}
	}
	return Refusal{}, false
}

// lexed counts over HCL's own tokens; its lexer does not recurse, so it
// is safe on any input.
func lexed(src []byte, filename string, start hcl.Pos, mode Mode, lim limits) (Refusal, bool) {
	n := newNesting()
	for _, t := range lex(src, filename, start, mode) {
		if deep, long := n.token(t.Type, lim.depth, lim.chain); deep || long {
			return Refusal{Pos: t.Range.Start, Chain: long}, true
		}
	}
	return Refusal{}, false
}

func lex(src []byte, filename string, start hcl.Pos, mode Mode) hclsyntax.Tokens {
	var toks hclsyntax.Tokens
	switch mode {
	case Template:
		toks, _ = hclsyntax.LexTemplate(src, filename, start)
	case Expression:
		toks, _ = hclsyntax.LexExpression(src, filename, start)
	default:
		toks, _ = hclsyntax.LexConfig(src, filename, start)
	}
	return toks
}

// ParseConfig is hclsyntax.ParseConfig behind the guard: a refused source
// is not parsed, and its refusal is returned instead.
func ParseConfig(src []byte, filename string, start hcl.Pos) (*hcl.File, hcl.Diagnostics, *Refusal) {
	if r, bad := Check(src, filename, start, Config); bad {
		return nil, nil, &r
	}
	f, d := hclsyntax.ParseConfig(src, filename, start)
	return f, d, nil
}

// ParseExpression is hclsyntax.ParseExpression behind the guard; what
// names the expression in the diagnostic of a refusal.
func ParseExpression(src []byte, filename string, start hcl.Pos, what string) (hclsyntax.Expression, hcl.Diagnostics) {
	if r, bad := Check(src, filename, start, Expression); bad {
		return nil, hcl.Diagnostics{r.Diagnostic(filename, what)}
	}
	return hclsyntax.ParseExpression(src, filename, start)
}

// ParseTemplate is hclsyntax.ParseTemplate behind the guard; what names
// the template in the diagnostic of a refusal.
func ParseTemplate(src []byte, filename string, start hcl.Pos, what string) (hclsyntax.Expression, hcl.Diagnostics) {
	if r, bad := Check(src, filename, start, Template); bad {
		return nil, hcl.Diagnostics{r.Diagnostic(filename, what)}
	}
	return hclsyntax.ParseTemplate(src, filename, start)
}

// nesting keeps the counts of the scan and of the lexer alike: the open
// levels, and per level the chain written in it since it opened or since
// its last = or ,.
type nesting struct {
	chains  []int
	chain   int // the sum of chains
	deepest int
	longest int
}

func newNesting() nesting { return nesting{chains: make([]int, 1, 16)} }

func (n *nesting) depth() int { return len(n.chains) - 1 }

// open enters a level; it returns false past maxDepth.
func (n *nesting) open(maxDepth int) bool {
	n.chains = append(n.chains, 0)
	n.deepest = max(n.deepest, n.depth())
	return n.depth() <= maxDepth
}

// close leaves a level; a closer with nothing open is ignored, as the
// parser's recovery skips it.
func (n *nesting) close() {
	if k := len(n.chains) - 1; k > 0 {
		n.chain -= n.chains[k]
		n.chains = n.chains[:k]
	}
}

// link counts one link of the chain; it returns false past maxChain.
func (n *nesting) link(maxChain int) bool {
	n.chains[len(n.chains)-1]++
	n.chain++
	n.longest = max(n.longest, n.chain)
	return n.chain <= maxChain
}

// reset ends the chain of the innermost level.
func (n *nesting) reset() {
	k := len(n.chains) - 1
	n.chain -= n.chains[k]
	n.chains[k] = 0
}

// token counts one of the lexer's tokens; it tells whether the nesting or
// the chain passed its limit there.
func (n *nesting) token(t hclsyntax.TokenType, maxDepth, maxChain int) (deep, long bool) {
	switch t {
	// A string is no level of its own: only what can nest inside it
	// (an interpolation or directive) is, so "${"${x}"}" is two levels,
	// as a reader counts them.
	case hclsyntax.TokenOBrace, hclsyntax.TokenOParen, hclsyntax.TokenTemplateInterp:
		return !n.open(maxDepth), false
	case hclsyntax.TokenOBrack, hclsyntax.TokenTemplateControl:
		if !n.link(maxChain) {
			return false, true
		}
		return !n.open(maxDepth), false
	case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen, hclsyntax.TokenTemplateSeqEnd:
		n.close()
	case hclsyntax.TokenBang, hclsyntax.TokenMinus, hclsyntax.TokenPlus, hclsyntax.TokenStar,
		hclsyntax.TokenSlash, hclsyntax.TokenPercent, hclsyntax.TokenEqualOp, hclsyntax.TokenNotEqual,
		hclsyntax.TokenLessThan, hclsyntax.TokenLessThanEq, hclsyntax.TokenGreaterThan,
		hclsyntax.TokenGreaterThanEq, hclsyntax.TokenAnd, hclsyntax.TokenOr, hclsyntax.TokenQuestion:
		return false, !n.link(maxChain)
	case hclsyntax.TokenEqual, hclsyntax.TokenComma:
		n.reset()
	}
	return false, false
}

// A scanFrame is one of the lexer's modes, stacked as its machine calls
// them: code, a quoted template, a heredoc with its closing marker and
// whether the next token starts a line (only a whole line can close it),
// or the bare text a template source starts in.
type scanFrame struct {
	kind        byte
	marker      []byte
	startOfLine bool
}

const (
	inCode byte = iota
	inQuoted
	inHeredoc
	inText
)

// scan returns the deepest nesting and longest chain of data as lexed
// counts them, stopping as soon as either passes its limit. sure is false
// when the scan passed a limit, then stop is where the token that passed
// it starts, or when it met input it does not follow exactly (stop is -1);
// the counts are then not to be trusted and the lexer must be asked.
//
// It mirrors the lexer's rules (hclsyntax/scan_tokens.rl): braces count
// every { and }, and a } closes an interpolation when the count is back
// where the interpolation opened it; "$${" and "%%{" are literal text;
// a backslash escapes the next character in a quoted template, not in a
// heredoc or bare text; a heredoc ends at a line, begun at the start of a
// line, that is its marker once surrounding white space is trimmed; an
// unterminated /* is a / token; the longest operator is read (== is one
// token, => none of those counted); an identifier runs on through letters,
// digits, _ and -; a number through digits, dots and exponents (1e-5),
// never ending on a dot.
func scan(data []byte, inTemplate bool, maxDepth, maxChain int) (deepest, longest, stop int, sure bool) {
	if !utf8.Valid(data) {
		return 0, 0, -1, false
	}
	bom := len(data)
	data = bytes.TrimPrefix(data, []byte("\ufeff")) // as the lexer does
	bom -= len(data)
	nest := newNesting()
	braces := 0
	var retBraces []int
	frames := []scanFrame{{kind: inCode}}
	if inTemplate {
		frames[0].kind = inText
	}
	noBlockEnd := false // no */ after the last search: an unterminated /* stays a /
	open := func() bool { return nest.open(maxDepth) }
	link := func() bool { return nest.link(maxChain) }
	// closeBrace handles } and ~}: both end an interpolation whose count
	// they meet, and otherwise close a level.
	closeBrace := func() {
		nest.close()
		if n := len(retBraces); n > 0 && retBraces[n-1] == braces {
			retBraces = retBraces[:n-1]
			frames = frames[:len(frames)-1]
		}
		braces--
	}
	// template handles $ and % in a template; it returns where the scan
	// goes on, or false and where the token starts when the nesting or
	// chain passed its limit there.
	template := func(i int) (int, bool) {
		c, at := data[i], i
		switch {
		case i+1 < len(data) && data[i+1] == '{':
			if c == '%' && !link() {
				return at, false
			}
			braces++
			retBraces = append(retBraces, braces)
			for k := len(frames) - 1; k >= 0; k-- {
				if frames[k].kind == inHeredoc {
					frames[k].startOfLine = false
					break
				}
			}
			frames = append(frames, scanFrame{kind: inCode})
			if !open() {
				return at, false
			}
			i += 2
			if i < len(data) && data[i] == '~' {
				i++
			}
			return i, true
		case i+2 < len(data) && data[i+1] == c && data[i+2] == '{':
			return i + 3, true
		}
		return i + 1, true
	}
	// twoByte is the length of the operator at i: 2 when the next byte
	// is second, 1 otherwise.
	twoByte := func(i int, second byte) int {
		if i+1 < len(data) && data[i+1] == second {
			return 2
		}
		return 1
	}
	stopAt := func(i int) (int, int, int, bool) { return nest.deepest, nest.longest, bom + i, false }
	unsure := func() (int, int, int, bool) { return nest.deepest, nest.longest, -1, false }
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
					return stopAt(i)
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
			case '(':
				if !open() {
					return stopAt(i)
				}
				i++
			case '[':
				if !link() || !open() {
					return stopAt(i)
				}
				i++
			case ']', ')':
				nest.close()
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
					}
				default:
					if !link() {
						return stopAt(i)
					}
					i++
				}
			case '<':
				marker, next, ok := heredocIntro(data, i)
				if !ok {
					return unsure()
				}
				if marker != nil {
					frames = append(frames, scanFrame{kind: inHeredoc, marker: marker, startOfLine: true})
					i = next
					break
				}
				if !link() {
					return stopAt(i)
				}
				i += twoByte(i, '=')
			case '>', '!':
				if !link() {
					return stopAt(i)
				}
				i += twoByte(i, '=')
			case '=':
				switch twoByte(i, '=') {
				case 2:
					if !link() {
						return stopAt(i)
					}
					i += 2
				default:
					if i+1 < n && data[i+1] == '>' {
						i += 2
					} else {
						nest.reset()
						i++
					}
				}
			case '&', '|':
				if twoByte(i, c) == 2 {
					if !link() {
						return stopAt(i)
					}
					i += 2
				} else {
					i++
				}
			case '+', '-', '*', '%', '?':
				if !link() {
					return stopAt(i)
				}
				i++
			case ',':
				nest.reset()
				i++
			default:
				switch {
				case isIdentStart(c):
					i++
					for i < n && isIdentPart(data[i]) {
						i++
					}
					if i < n && data[i] >= utf8.RuneSelf {
						// The identifier may run on, and take a - with it.
						return unsure()
					}
				case '0' <= c && c <= '9':
					i = numberEnd(data, i)
				case c >= utf8.RuneSelf:
					// An identifier or an invalid character, by Unicode
					// classes the scan does not apply.
					return unsure()
				default:
					i++
				}
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
					return stopAt(i)
				}
			default:
				i++
			}
		case inText:
			switch c {
			case '\r':
				if i+1 < n && data[i+1] == '\n' {
					i += 2
				} else {
					// The lexer stops at a lone carriage return here too.
					return unsure()
				}
			case '$', '%':
				var ok bool
				if i, ok = template(i); !ok {
					return stopAt(i)
				}
			default:
				i++
			}
		case inHeredoc:
			if f.startOfLine {
				closed, ok := heredocEnd(data, i, f.marker)
				if !ok {
					return unsure()
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
					return unsure()
				}
			case '$', '%':
				var ok bool
				if i, ok = template(i); !ok {
					return stopAt(i)
				}
			default:
				i++
			}
		}
	}
	return nest.deepest, nest.longest, -1, true
}

// numberEnd is where the number literal starting with the digit at i
// ends: digits, dots and exponents (e5, E+5, e-5) follow one another, and
// the literal ends on a digit, a trailing dot being the next token.
func numberEnd(data []byte, i int) int {
	isDigit := func(k int) bool { return k < len(data) && '0' <= data[k] && data[k] <= '9' }
	end := i + 1
	for k := i + 1; k < len(data); {
		switch c := data[k]; {
		case isDigit(k):
			k++
			end = k
		case c == '.':
			k++
		case c == 'e' || c == 'E':
			m := k + 1
			if m < len(data) && (data[m] == '+' || data[m] == '-') {
				m++
			}
			if !isDigit(m) {
				return end
			}
			k = m + 1
			end = k
		default:
			return end
		}
	}
	return end
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
