// Package awsconfig reads the AWS CLI's shared `config` and `credentials`
// files into the resource graph: one resource per section, with every key
// and the line it is written on.
//
// The files are read the way the AWS CLI (botocore, Python's
// RawConfigParser) reads them:
//
//   - sections are `[name]`; in config, profiles are `[profile name]` (the
//     name may be quoted) and `[default]`, SSO sessions `[sso-session name]`,
//     service settings `[services name]`; in credentials, every section is a
//     profile and its header is its name;
//   - `key = value` or `key: value`; keys are case-insensitive (lower-cased
//     here); a line indented deeper than its key continues the value, and a
//     key with an empty value followed by indented `sub = value` lines is a
//     nested block (`s3 =`), read as a map;
//   - whole-line comments start with `#` or `;`. The CLI has no inline
//     comments: `key = value # note` keeps "value # note", and so does the
//     graph;
//   - duplicate sections and keys are errors for the CLI; here they are
//     positioned diagnostics and the first one is kept.
//
// Secrets never reach the graph: the values of aws_secret_access_key,
// aws_session_token, aws_security_token and of any key naming a secret,
// password or token are replaced by Redacted, and diagnostics never quote a
// line.
package awsconfig

import (
	"bytes"
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/graph"
)

// Origin is the front-end name recorded on resources.
const Origin = "aws-cli"

// Resource types.
const (
	// TypeProfile is a profile of the config file ([profile x], [default]).
	TypeProfile = "awscli:profile"
	// TypeCredentials is a profile of the credentials file ([x]).
	TypeCredentials = "awscli:credentials"
	// TypeSSOSession is an [sso-session x] section of the config file.
	TypeSSOSession = "awscli:sso-session"
	// TypeServices is a [services x] section of the config file.
	TypeServices = "awscli:services"
	// TypeSection is any other section of the config file ([preview],
	// [plugins]); the CLI does not read it as a profile.
	TypeSection = "awscli:section"
)

// Redacted replaces the value of a secret in the graph.
const Redacted = "(redacted)"

// FileKind tells the two files apart: the same section header means a
// different thing in each.
type FileKind int

const (
	Config FileKind = iota
	Credentials
)

func (k FileKind) String() string {
	if k == Credentials {
		return "credentials"
	}
	return "config"
}

// ConventionalName reports whether a file bears the name the AWS CLI gives
// its files (config, credentials), in any directory.
func ConventionalName(name string) bool {
	b := path.Base(filepath.ToSlash(name))
	return b == "config" || b == "credentials"
}

// Detect tells whether data is an AWS CLI config or credentials file. A file
// named config must have a [default], [profile x] or [sso-session x]
// section; a file named credentials a [default] section or an aws_* key;
// any other file (given explicitly, or stdin) a [profile x] section. In every
// case the first line that is not blank or a comment is a section header.
func Detect(name string, data []byte) (FileKind, bool) {
	base := path.Base(filepath.ToSlash(name))
	var kind FileKind
	switch base {
	case "credentials":
		kind = Credentials
	case "config":
	default:
		// Cheap rejection of the many inputs of other kinds.
		if !bytes.Contains(data, []byte("[profile")) {
			return kind, false
		}
	}
	first := true
	var hasProfile, hasAWSSection, hasAWSKey bool
	forLines(data, func(_ int, ln []byte) bool {
		s := bytes.TrimSpace(ln)
		if len(s) == 0 || s[0] == '#' || s[0] == ';' {
			return true
		}
		if s[0] == '[' {
			h, ok := header(s)
			if !ok {
				return !first
			}
			first = false
			switch {
			case strings.HasPrefix(h, "profile ") || strings.HasPrefix(h, "profile\t"):
				hasProfile, hasAWSSection = true, true
			case h == "default" || strings.HasPrefix(h, "sso-session "):
				hasAWSSection = true
			}
			return true
		}
		if first {
			return false
		}
		if k, _, ok := splitOption(s); ok && strings.HasPrefix(strings.ToLower(k), "aws_") {
			hasAWSKey = true
		}
		return true
	})
	if first {
		return kind, false
	}
	switch base {
	case "config":
		return Config, hasAWSSection
	case "credentials":
		return Credentials, hasAWSSection || hasAWSKey
	}
	return Config, hasProfile
}

// forLines calls f with each line (1-based number, without its line
// break) until f returns false.
func forLines(data []byte, f func(n int, ln []byte) bool) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	for n := 1; len(data) > 0; n++ {
		ln := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			ln, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		ln = bytes.TrimSuffix(ln, []byte("\r"))
		if !f(n, ln) {
			return
		}
	}
}

// header returns the text between the brackets of a trimmed section line.
// As in Python's configparser, the header runs to the last "]" and what
// follows it is ignored.
func header(s []byte) (string, bool) {
	j := bytes.LastIndexByte(s, ']')
	if len(s) == 0 || s[0] != '[' || j < 2 {
		return "", false
	}
	return strings.TrimSpace(string(s[1:j])), true
}

// splitOption splits "key = value" or "key: value" at the first delimiter.
func splitOption(s []byte) (key, value string, ok bool) {
	i := bytes.IndexAny(s, "=:")
	if i < 0 {
		return "", "", false
	}
	key = strings.TrimSpace(string(s[:i]))
	if key == "" {
		return "", "", false
	}
	return key, strings.TrimSpace(string(s[i+1:])), true
}

// IsSecretKey reports whether the value of a key must never be stored.
func IsSecretKey(key string) bool {
	k := strings.ToLower(key)
	switch k {
	case "aws_secret_access_key", "aws_session_token", "aws_security_token":
		return true
	}
	return strings.Contains(k, "secret") || strings.Contains(k, "password") || strings.HasSuffix(k, "_token") || k == "token"
}

type entry struct {
	key       string
	value     string
	line, col int
	indent    int
	cont      []contLine
	skip      bool // a duplicate: read, then dropped
}

type contLine struct {
	text      string
	line, col int
}

type section struct {
	header    string
	line      int
	endLine   int
	entries   []*entry
	byKey     map[string]*entry
	duplicate bool
}

// Parse reads a file into its sections; positioned diagnostics report
// malformed lines, which are skipped.
func parse(data []byte, file string) ([]*section, diag.List) {
	var secs []*section
	var diags diag.List
	seen := map[string]int{}
	var cur *section
	var key *entry
	errAt := func(line, col int, summary, detail string) {
		diags = append(diags, diag.Diagnostic{Severity: diag.Error, File: file, Line: line, Column: col,
			Summary: summary, Detail: detail})
	}
	forLines(data, func(n int, ln []byte) bool {
		s := bytes.TrimSpace(ln)
		if len(s) == 0 {
			return true
		}
		indent := len(ln) - len(bytes.TrimLeft(ln, " \t"))
		if s[0] == '#' || s[0] == ';' {
			return true
		}
		if key != nil && indent > key.indent {
			key.cont = append(key.cont, contLine{text: string(s), line: n, col: indent + 1})
			if cur != nil {
				cur.endLine = n
			}
			return true
		}
		key = nil
		if s[0] == '[' {
			h, ok := header(s)
			if !ok || h == "" {
				errAt(n, indent+1, "malformed section header", "a section header is [name]; the lines up to the next section are skipped")
				cur = &section{duplicate: true, byKey: map[string]*entry{}}
				return true
			}
			cur = &section{header: h, line: n, endLine: n, byKey: map[string]*entry{}}
			if first, dup := seen[h]; dup {
				errAt(n, indent+1, "duplicate section", fmt.Sprintf("[%s] is already defined at line %d; the AWS CLI rejects the file; this one is skipped", h, first))
				cur.duplicate = true
				return true
			}
			seen[h] = n
			secs = append(secs, cur)
			return true
		}
		if cur == nil {
			errAt(n, indent+1, "key outside any section", "every key belongs to a [section]; the AWS CLI rejects the file")
			return true
		}
		k, v, ok := splitOption(s)
		if !ok {
			errAt(n, indent+1, "malformed line", "expected key = value, a [section] header or a comment (# or ;); the line is skipped")
			return true
		}
		k = strings.ToLower(k)
		cur.endLine = n
		e := &entry{key: k, value: v, line: n, col: indent + 1, indent: indent}
		if first, dup := cur.byKey[k]; dup && !cur.duplicate {
			errAt(n, indent+1, "duplicate key", fmt.Sprintf("%s is already set at line %d in [%s]; the AWS CLI rejects the file; the first is kept", k, first.line, cur.header))
			e.skip = true
		} else if !cur.duplicate {
			cur.byKey[k] = e
			cur.entries = append(cur.entries, e)
		}
		key = e
		return true
	})
	return secs, diags
}

// value builds the graph value of one key: a string, or a map for a nested
// block. Secrets are replaced by Redacted.
func (e *entry) graphValue(file string) (*graph.Value, diag.List) {
	rng := graph.Range{File: file, Line: int32(e.line), Column: int32(e.col)}
	secret := IsSecretKey(e.key)
	if e.value == "" && len(e.cont) > 0 {
		// A nested block: one "sub = value" per indented line, as botocore
		// reads the s3 = / sts = settings.
		m := &graph.Value{Kind: graph.Map, Map: graph.NewFields(0), Range: rng}
		var diags diag.List
		for _, c := range e.cont {
			i := strings.IndexByte(c.text, '=')
			if i < 0 {
				diags = append(diags, diag.Diagnostic{Severity: diag.Error, File: file, Line: c.line, Column: c.col,
					Summary: "malformed nested setting", Detail: fmt.Sprintf("lines under %s = are sub = value; the AWS CLI rejects the file", e.key)})
				continue
			}
			sk, sv := strings.TrimSpace(c.text[:i]), strings.TrimSpace(c.text[i+1:])
			if secret || IsSecretKey(sk) {
				sv = redact(sv)
			}
			if _, dup := m.Map.Lookup(sk); dup {
				continue
			}
			m.Map.Set(strings.Clone(sk), &graph.Value{Kind: graph.String, Str: strings.Clone(sv),
				Range: graph.Range{File: file, Line: int32(c.line), Column: int32(c.col)}})
		}
		return m, diags
	}
	v := e.value
	for _, c := range e.cont {
		v += "\n" + c.text
	}
	if secret {
		v = redact(v)
	}
	return &graph.Value{Kind: graph.String, Str: strings.Clone(v), Range: rng}, nil
}

func redact(v string) string {
	if v == "" {
		return ""
	}
	return Redacted
}

// Load parses data, a config or credentials file, and adds one resource
// per section to g.
func Load(g *graph.Graph, data []byte, file string, kind FileKind) diag.List {
	secs, diags := parse(data, file)
	for _, s := range secs {
		typ, name, warn := classify(kind, s.header)
		if warn != "" {
			diags = append(diags, diag.Diagnostic{Severity: diag.Warning, File: file, Line: s.line, Column: 1,
				Summary: "section not read as a profile by the AWS CLI", Detail: warn})
		}
		if typ == "" {
			continue
		}
		attrs := &graph.Value{Kind: graph.Map, Map: graph.NewFields(len(s.entries)),
			Range: graph.Range{File: file, Line: int32(s.line), Column: 1, EndLine: int32(s.endLine)}}
		for _, e := range s.entries {
			v, ds := e.graphValue(file)
			diags = append(diags, ds...)
			attrs.Map.Set(strings.Clone(e.key), v)
		}
		if typ == TypeSection && looksLikeProfile(attrs) {
			diags = append(diags, diag.Diagnostic{Severity: diag.Warning, File: file, Line: s.line, Column: 1,
				Summary: "section not read as a profile by the AWS CLI",
				Detail:  fmt.Sprintf("in the config file profiles are written [profile %s]; the CLI ignores [%s]", s.header, s.header)})
		}
		name = strings.Clone(name)
		g.Add(&graph.Resource{Type: typ, Name: name, Address: addressPrefix(typ) + name, Attrs: attrs,
			Range: attrs.Range, Origin: Origin})
	}
	return diags
}

func addressPrefix(typ string) string {
	switch typ {
	case TypeProfile:
		return "profile."
	case TypeCredentials:
		return "credentials."
	case TypeSSOSession:
		return "sso-session."
	case TypeServices:
		return "services."
	}
	return "section."
}

// classify maps a section header to a resource type and name. An empty
// type means the CLI ignores the section; warn says why.
func classify(kind FileKind, h string) (typ, name, warn string) {
	if kind == Credentials {
		if rest, ok := cutWord(h, "profile"); ok && rest != "" {
			return TypeCredentials, h, fmt.Sprintf("the credentials file names profiles without the profile prefix: [%s] is a profile named %q", rest, h)
		}
		return TypeCredentials, h, ""
	}
	if h == "default" {
		return TypeProfile, "default", ""
	}
	if rest, ok := cutWord(h, "profile"); ok {
		n, ok := shellWord(rest)
		if !ok {
			return "", "", fmt.Sprintf("[%s]: a profile name with spaces must be quoted; the CLI ignores the section", h)
		}
		return TypeProfile, n, ""
	}
	if rest, ok := cutWord(h, "sso-session"); ok && rest != "" {
		return TypeSSOSession, rest, ""
	}
	if rest, ok := cutWord(h, "services"); ok && rest != "" {
		return TypeServices, rest, ""
	}
	return TypeSection, h, ""
}

// cutWord returns what follows word and whitespace at the start of h.
func cutWord(h, word string) (string, bool) {
	if !strings.HasPrefix(h, word) {
		return "", false
	}
	rest := h[len(word):]
	if rest == "" {
		return "", true
	}
	if rest[0] != ' ' && rest[0] != '\t' {
		return "", false
	}
	return strings.TrimSpace(rest), true
}

// shellWord reads exactly one word, optionally quoted, as botocore's
// shlex.split of the header must yield.
func shellWord(s string) (string, bool) {
	if s == "" {
		return "", false
	}
	if q := s[0]; q == '"' || q == '\'' {
		if len(s) >= 2 && s[len(s)-1] == q && !strings.ContainsRune(s[1:len(s)-1], rune(q)) {
			return s[1 : len(s)-1], true
		}
		return "", false
	}
	if strings.ContainsAny(s, " \t\"'") {
		return "", false
	}
	return s, true
}

// credentialKeys are the keys that make a section a source of credentials.
var credentialKeys = []string{"aws_access_key_id", "role_arn", "source_profile", "credential_process",
	"sso_start_url", "sso_session", "web_identity_token_file"}

func looksLikeProfile(attrs *graph.Value) bool {
	for _, k := range credentialKeys {
		if attrs.Map.Get(k) != nil {
			return true
		}
	}
	return false
}
