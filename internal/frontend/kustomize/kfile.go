package kustomize

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
	"sigs.k8s.io/kustomize/api/konfig"

	"github.com/eksguard/eksguard/internal/diag"
)

// Every kustomization file the build reads passes through rewrite, which
//   - records its entries, so that a build error naming one of them can be
//     placed at its line (locate);
//   - reports a file that is not YAML at the line of the YAML error;
//   - unless remote bases may be fetched, drops every entry naming a remote
//     base or file (a git URL or an http(s) address), each reported as an
//     unread part of the input, so kustomize never runs git or opens a
//     connection;
//   - in the kustomization being built, asks for kustomize's origin and
//     transformer annotations (buildMetadata), which give each object's
//     source file; they are removed from the objects again before they
//     are returned.

func isKustomizationFile(name string) bool {
	base := filepath.Base(name)
	for _, k := range konfig.RecognizedKustomizationFileNames() {
		if base == k {
			return true
		}
	}
	return false
}

var scpUser = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9-]*@`)

// isRemote reports whether kustomize would fetch s over the network: the
// forms its git loader accepts as a repository (an ssh, http(s) or file
// URL, optionally after "git::", an scp-like user@host:path, or a path on
// github.com) and the http(s) addresses its file loader downloads.
func isRemote(s string) bool {
	s = strings.TrimSpace(s)
	low := strings.ToLower(s)
	low = strings.TrimPrefix(low, "git::")
	for _, p := range []string{"ssh://", "https://", "http://", "file://"} {
		if strings.HasPrefix(low, p) {
			return true
		}
	}
	return scpUser.MatchString(low) || strings.HasPrefix(low, "github.com/") || strings.HasPrefix(low, "github.com:")
}

// token is a value written in a kustomization file, at its line.
type token struct {
	file  string // absolute kustomization file
	line  int
	value string
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// parserProblems are the problems the YAML parser (as opposed to its
// scanner, or the decoder) reports. For them the library gives the
// 0-based line of the mark, where scanner and decoder errors give the
// 1-based line (go.yaml.in/yaml/v3, parser.fail).
var parserProblems = []string{
	"did not find expected ',' or ']'", "did not find expected ',' or '}'",
	"did not find expected '-' indicator", "did not find expected <document start>",
	"did not find expected <stream-start>", "did not find expected key",
	"did not find expected node content", "found duplicate %TAG directive",
	"found duplicate %YAML directive", "found incompatible YAML document",
	"found undefined tag handle",
}

// lineOf returns the 1-based line a YAML error message names, or 1.
func lineOf(msg string) int {
	m := yamlLine.FindStringSubmatchIndex(msg)
	if m == nil {
		return 1
	}
	n, err := strconv.Atoi(msg[m[2]:m[3]])
	if err != nil || n <= 0 {
		return 1
	}
	rest := msg[m[1]:]
	if end := strings.IndexByte(rest, '\n'); end >= 0 {
		rest = rest[:end]
	}
	for _, p := range parserProblems {
		if strings.HasPrefix(strings.TrimPrefix(rest, ": "), p) {
			return n + 1
		}
	}
	return n
}

// listFields hold lists of paths (or inline YAML, which is never remote).
var listFields = []string{"resources", "bases", "components", "generators", "transformers",
	"validators", "crds", "configurations", "patchesStrategicMerge"}

// pathItemFields hold lists of objects with a path.
var pathItemFields = []string{"patches", "patchesJson6902", "replacements"}

// rewrite returns the kustomization file name as kustomize is to read it.
func (b *build) rewrite(name string, content []byte) []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	var doc yaml.Node
	if err := yaml.Unmarshal(content, &doc); err != nil {
		b.parseFailed = true
		b.add(diag.Diagnostic{Severity: diag.Error, File: b.display(name), Line: lineOf(err.Error()),
			Summary: "kustomization not built: the kustomization file is not valid YAML", Detail: err.Error()})
		return content
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return content
	}
	m := doc.Content[0]
	changed := false
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		b.tokens = append(b.tokens, token{name, k.Line, k.Value})
		switch {
		case contains(listFields, k.Value) && v.Kind == yaml.SequenceNode:
			changed = b.filterList(name, k.Value, v) || changed
		case contains(pathItemFields, k.Value) && v.Kind == yaml.SequenceNode:
			var keep []*yaml.Node
			for j, item := range v.Content {
				p := mapValue(item, "path")
				if p != nil {
					b.tokens = append(b.tokens, token{name, p.Line, p.Value})
				}
				if p != nil && !b.allowRemote && isRemote(p.Value) {
					b.unread(name, p, fmt.Sprintf("%s[%d].path", k.Value, j), "remote kustomize file not read")
					changed = true
					continue
				}
				keep = append(keep, item)
			}
			v.Content = keep
		case (k.Value == "configMapGenerator" || k.Value == "secretGenerator") && v.Kind == yaml.SequenceNode:
			for j, item := range v.Content {
				changed = b.filterGenerator(name, fmt.Sprintf("%s[%d]", k.Value, j), item) || changed
			}
		case k.Value == "openapi" && v.Kind == yaml.MappingNode:
			if p := mapValue(v, "path"); p != nil && !b.allowRemote && isRemote(p.Value) {
				b.unread(name, p, "openapi.path", "remote kustomize file not read")
				removeKey(v, "path")
				changed = true
			}
		}
	}
	if filepath.Dir(resolve(name)) == b.absDir {
		changed = true
		md := mapValue(m, "buildMetadata")
		if md == nil || md.Kind != yaml.SequenceNode {
			removeKey(m, "buildMetadata")
			md = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
			m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "buildMetadata"}, md)
		}
		for _, want := range []string{"originAnnotations", "transformerAnnotations"} {
			have := false
			for _, e := range md.Content {
				have = have || e.Value == want
			}
			if !have {
				md.Content = append(md.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: want})
			}
		}
	}
	if !changed {
		return content
	}
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	if err := enc.Encode(&doc); err != nil || enc.Close() != nil {
		return content
	}
	return out.Bytes()
}

// filterList drops the remote entries of a list of paths.
func (b *build) filterList(name, field string, v *yaml.Node) bool {
	var keep []*yaml.Node
	changed := false
	for j, e := range v.Content {
		if e.Kind == yaml.ScalarNode {
			b.tokens = append(b.tokens, token{name, e.Line, e.Value})
			if field == "generators" || field == "transformers" || field == "validators" {
				b.pluginKinds(name, e)
			}
			if !b.allowRemote && isRemote(e.Value) {
				summary := "remote kustomize file not read"
				if field == "resources" || field == "bases" || field == "components" {
					summary = "remote kustomize base not read"
				}
				b.unread(name, e, fmt.Sprintf("%s[%d]", field, j), summary)
				changed = true
				continue
			}
		}
		keep = append(keep, e)
	}
	v.Content = keep
	return changed
}

// filterGenerator drops the remote files and env files of a
// configMapGenerator or secretGenerator entry.
func (b *build) filterGenerator(name, place string, item *yaml.Node) bool {
	if item.Kind != yaml.MappingNode {
		return false
	}
	changed := false
	for _, f := range []string{"files", "envs"} {
		l := mapValue(item, f)
		if l == nil || l.Kind != yaml.SequenceNode {
			continue
		}
		var keep []*yaml.Node
		for j, e := range l.Content {
			path := e.Value
			if _, p, ok := strings.Cut(path, "="); ok && f == "files" {
				path = p
			}
			b.tokens = append(b.tokens, token{name, e.Line, path})
			if e.Kind == yaml.ScalarNode && !b.allowRemote && (isRemote(path) || isRemote(e.Value)) {
				b.unread(name, e, fmt.Sprintf("%s.%s[%d]", place, f, j), "remote kustomize file not read")
				changed = true
				continue
			}
			keep = append(keep, e)
		}
		l.Content = keep
	}
	if e := mapValue(item, "env"); e != nil {
		b.tokens = append(b.tokens, token{name, e.Line, e.Value})
		if !b.allowRemote && isRemote(e.Value) {
			b.unread(name, e, place+".env", "remote kustomize file not read")
			removeKey(item, "env")
			changed = true
		}
	}
	return changed
}

// unread reports a remote entry left out of the build.
func (b *build) unread(file string, n *yaml.Node, place, summary string) {
	f := b.display(file)
	reason := "remote kustomize bases and files are fetched only when module downloads are allowed (--download-modules)"
	b.add(diag.Diagnostic{Severity: diag.Warning, File: f, Line: n.Line, Column: n.Column,
		Summary: summary, Detail: n.Value + ": " + reason,
		Unread: &diag.Unread{Call: f + "#" + place, Source: n.Value, Reason: reason}})
}

// add appends d unless the same diagnostic is there already (a base used
// twice is read twice).
func (b *build) add(d diag.Diagnostic) {
	for _, o := range b.diags {
		if o.File == d.File && o.Line == d.Line && o.Column == d.Column && o.Summary == d.Summary {
			return
		}
	}
	b.diags = append(b.diags, d)
}

func contains(l []string, s string) bool {
	for _, e := range l {
		if e == s {
			return true
		}
	}
	return false
}

// mapValue returns the value of key in the mapping m, or nil.
func mapValue(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func removeKey(m *yaml.Node, key string) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = append(m.Content[:i], m.Content[i+2:]...)
			return
		}
	}
}

// locate places a build error: at the entry of a kustomization file that
// the message quotes last (kustomize wraps errors outermost first, so the
// last one quoted is the innermost), and, when that entry is a file whose
// YAML error the message gives a line for, at that line of the file.
func (b *build) locate(msg string) (string, int) {
	best, at := -1, -1
	for i, t := range b.tokens {
		if t.value == "" {
			continue
		}
		// kustomize quotes an entry as written, or a file entry as the
		// absolute path it resolved.
		abs := filepath.Join(filepath.Dir(t.file), t.value)
		for _, q := range []string{"'" + t.value + "'", `"` + t.value + `"`, `\"` + t.value + `\"`, "'" + abs + "'", "'" + resolve(abs) + "'"} {
			if j := strings.LastIndex(msg, q); j >= 0 && j >= at {
				best, at = i, j
			}
		}
	}
	if best < 0 {
		return b.display(b.kfile), 1
	}
	t := b.tokens[best]
	rest := msg[at:]
	if strings.Contains(rest, "yaml: ") || strings.Contains(rest, "MalformedYAML") {
		p := filepath.Join(filepath.Dir(t.file), t.value)
		if b.fs.check(p) == nil && b.fs.Exists(p) && !b.fs.IsDir(p) {
			return b.display(p), lineOf(rest)
		}
	}
	return b.display(t.file), t.line
}

// pluginKinds records the kinds a generators, transformers or validators
// entry configures (written inline or in a file under the root), at the
// entry's line: kustomize's error for a plugin it may not run names only
// the kind.
func (b *build) pluginKinds(name string, e *yaml.Node) {
	var objs []object
	if strings.Contains(e.Value, "\n") {
		var doc yaml.Node
		if yaml.Unmarshal([]byte(e.Value), &doc) == nil && len(doc.Content) > 0 {
			objs = appendObject(nil, doc.Content[0])
		}
	} else if !isRemote(e.Value) {
		objs = b.objects(filepath.Join(filepath.Dir(name), e.Value))
	}
	for _, o := range objs {
		if o.kind != "" {
			b.tokens = append(b.tokens, token{name, e.Line, o.kind})
		}
	}
}
