// Package yamlpos decodes YAML streams into graph values that keep the line
// and column of every value, as jsonpos does for JSON. It bounds the work a
// hostile file can cause: alias expansion ("billion laughs") and nesting
// depth are capped per document, and duplicate keys are reported rather
// than silently resolved, as kubectl and CloudFormation reject them too.
package yamlpos

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/workpool"
	"go.yaml.in/yaml/v3"
)

// MaxValues bounds the values one document may expand to. Real manifests
// and templates stay far below it; an alias bomb reaches it quickly.
const MaxValues = 2_000_000

// MaxDepth bounds nesting, so a pathological document cannot exhaust the
// stack of the walkers that read the graph later.
const MaxDepth = 256

// TagFunc turns a value written with a local tag (!Ref, !Sub ...) into
// the value it stands for. tag includes the leading "!".
type TagFunc func(tag string, v *graph.Value) *graph.Value

// Options tune decoding.
type Options struct {
	// Tag handles local tags; nil ignores them (the tagged value is kept
	// as written).
	Tag TagFunc
}

// Document is one document of a YAML stream.
type Document struct {
	Value *graph.Value
	// Comments holds the comments written above the document and its first
	// key, where tools such as helm template put "# Source:" lines.
	Comments string
}

// Decode reads every document of a YAML stream. A syntax error ends the
// stream (YAML cannot resynchronise after one) and is returned with the
// documents read before it; a document that is well-formed but unusable
// (duplicate key, too large, too deep) is skipped with a diagnostic and the
// documents after it are still read.
func Decode(data []byte, file string, opts Options) ([]Document, diag.List) {
	chunks := split(data)
	if len(chunks) < 2 {
		return decode(data, file, 0, opts)
	}
	// Decode the pieces on every core, then stitch them in order; a syntax
	// error ends the stream where it occurs, as a sequential read would.
	type part struct {
		docs  []Document
		diags diag.List
	}
	parts := make([]part, len(chunks))
	workpool.Each(len(chunks), func(i int) {
		d, ds := decode(data[chunks[i].start:chunks[i].end], file, chunks[i].line, opts)
		parts[i] = part{d, ds}
	})
	var out []Document
	var diags diag.List
	for _, p := range parts {
		out = append(out, p.docs...)
		diags = append(diags, p.diags...)
		if len(p.diags) > 0 && p.diags[len(p.diags)-1].Summary == syntaxSummary {
			break
		}
	}
	return out, diags
}

// parallelMin is the size from which a stream is split for parallel
// decoding; below it the split costs more than it saves. Tests lower it.
var parallelMin = 1 << 20

type chunk struct{ start, end, line int }

// split cuts a large stream into runs of whole documents of similar size.
// YAML ends a document at a "---" or "..." marker in column 0 wherever it
// stands (even inside a quoted or block scalar), so a line starting with
// one is always a document boundary. Streams with directives (%YAML, %TAG)
// are not split: a directive belongs to the document after it.
func split(data []byte) []chunk {
	if len(data) < parallelMin {
		return nil
	}
	n := 4 * runtime.GOMAXPROCS(0)
	if n < 2 {
		return nil
	}
	target := len(data) / n
	var out []chunk
	start, startLine, line := 0, 0, 0
	for i := 0; i < len(data); {
		j := bytes.IndexByte(data[i:], '\n')
		end := len(data)
		if j >= 0 {
			end = i + j + 1
		}
		ln := data[i:end]
		if len(ln) > 0 && ln[0] == '%' {
			return nil
		}
		if i-start >= target && i > start && docMarker(ln) {
			out = append(out, chunk{start, i, startLine})
			start, startLine = i, line
		}
		line++
		i = end
	}
	out = append(out, chunk{start, len(data), startLine})
	return out
}

func docMarker(ln []byte) bool {
	if len(ln) < 3 || !(bytes.HasPrefix(ln, []byte("---")) || bytes.HasPrefix(ln, []byte("..."))) {
		return false
	}
	return len(ln) == 3 || ln[3] == ' ' || ln[3] == '\t' || ln[3] == '\n' || ln[3] == '\r'
}

const syntaxSummary = "invalid YAML"

// decode reads one run of documents whose first line is line lineOffset+1
// of the file.
func decode(data []byte, file string, lineOffset int, opts Options) ([]Document, diag.List) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var out []Document
	var diags diag.List
	// Beside the bound per document, the values of all documents together
	// are bounded by the input's size: many small alias bombs must not add
	// up to what one large one cannot. Without aliases a value takes at
	// least two bytes of input, so real files never reach this.
	fileBudget := MaxValues + len(data)/2
	run := &runState{scalars: map[scalarKey]scalarVal{}, strs: map[string]string{}}
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return out, diags
		}
		if err != nil {
			d := syntaxDiag(err, file)
			if d.Line > 0 {
				d.Line += lineOffset
			}
			return out, append(diags, d)
		}
		if len(doc.Content) == 0 {
			continue
		}
		budget := MaxValues
		if fileBudget < budget {
			budget = fileBudget
		}
		c := &converter{file: file, budget: budget, tag: opts.Tag, lineOffset: lineOffset, run: run}
		v, err := c.convert(doc.Content[0], 0)
		used := budget
		if c.budget > 0 {
			used -= c.budget
		}
		fileBudget -= used
		if err != nil {
			var d diag.Diagnostic
			if !errors.As(err, &d) {
				d = diag.Diagnostic{Severity: diag.Error, File: file, Summary: "invalid YAML", Detail: err.Error()}
			}
			diags = append(diags, d)
			continue
		}
		// yaml.v3 places an empty document on the line after its "---";
		// after a final "---" without a line break that line does not
		// exist, and a position there points past the end of the file.
		if v.Kind == graph.Null {
			if last := lineOffset + bytes.Count(data, []byte{'\n'}) + 1; int(v.Range.Line) > last {
				v.Range.Line = int32(last) // below Line, so it fits
			}
		}
		comments := doc.HeadComment + "\n" + doc.Content[0].HeadComment
		if root := doc.Content[0]; root.Kind == yaml.MappingNode && len(root.Content) > 0 {
			comments += "\n" + root.Content[0].HeadComment
		}
		out = append(out, Document{Value: v, Comments: comments})
	}
}

func syntaxDiag(err error, file string) diag.Diagnostic {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: ")
	line := 0
	// yaml.v3 writes "yaml: line N: ..." for syntax errors; the line moves
	// into the diagnostic's position.
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if j := strings.IndexByte(rest, ':'); j > 0 {
			if n, err := strconv.Atoi(rest[:j]); err == nil {
				line, msg = n, strings.TrimSpace(rest[j+1:])
			}
		}
	}
	return diag.Diagnostic{Severity: diag.Error, File: file, Line: line, Summary: syntaxSummary, Detail: msg}
}

type converter struct {
	file       string
	budget     int
	tag        TagFunc
	lineOffset int
	run        *runState
}

// runState is shared by the documents of one run of decode.
type runState struct {
	// scalars caches what booleans and numbers decode to: yaml.v3
	// decodes each through a fresh decoder, and manifests repeat the same
	// few (true, false, 2, 8080) thousands of times.
	scalars map[scalarKey]scalarVal
	// strs holds one copy of each short key and string: manifests repeat
	// the same names (name, image, securityContext, the same labels) in
	// every object, and yaml.v3 allocates each occurrence anew.
	strs map[string]string
}

// maxInterned is the longest string interned; longer ones (certificates,
// scripts, policies) rarely repeat.
const maxInterned = 64

// intern returns the run's copy of s.
func (r *runState) intern(s string) string {
	if len(s) > maxInterned {
		return s
	}
	if c, ok := r.strs[s]; ok {
		return c
	}
	r.strs[s] = s
	return s
}

type scalarKey struct {
	short, tag, value string
	style             yaml.Style
}

type scalarVal struct {
	kind graph.Kind
	b    bool
	f    float64
}

func (c *converter) convert(n *yaml.Node, depth int) (*graph.Value, error) {
	c.budget--
	if c.budget < 0 {
		return nil, diag.Diagnostic{Severity: diag.Error, File: c.file, Line: n.Line + c.lineOffset, Summary: "YAML document too large",
			Detail: fmt.Sprintf("more than %d values (alias expansion?); document skipped", MaxValues)}
	}
	if depth > MaxDepth {
		return nil, diag.Diagnostic{Severity: diag.Error, File: c.file, Line: n.Line + c.lineOffset, Summary: "YAML nested too deeply",
			Detail: fmt.Sprintf("more than %d levels; document skipped", MaxDepth)}
	}
	rng := graph.Range{File: c.file, Line: graph.Clamp32(n.Line + c.lineOffset), Column: graph.Clamp32(n.Column)}
	var v *graph.Value
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias == nil {
			return &graph.Value{Kind: graph.Null, Range: rng}, nil
		}
		a, err := c.convert(n.Alias, depth+1)
		if err != nil {
			return nil, err
		}
		// The alias is a fresh copy placed where the alias is written, so
		// positions set later on one use do not leak into the other.
		v = a
		v.Range = rng
	case yaml.MappingNode:
		m := &graph.Value{Kind: graph.Map, Map: graph.NewFields(len(n.Content) / 2), Range: rng}
		var merges []*graph.Value
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if isMerge(k, val) {
				mv, err := c.convert(val, depth+1)
				if err != nil {
					return nil, err
				}
				merges = append(merges, mv.Items()...)
				continue
			}
			if _, dup := m.Map.Lookup(k.Value); dup {
				return nil, diag.Diagnostic{Severity: diag.Error, File: c.file, Line: k.Line + c.lineOffset, Summary: "duplicate key in YAML",
					Detail: fmt.Sprintf("key %q is already defined at line %d; document skipped", k.Value, firstKeyLine(n, k.Value)+c.lineOffset)}
			}
			cv, err := c.convert(val, depth+1)
			if err != nil {
				return nil, err
			}
			// A value is located at its key's line, where a reader looks.
			cv.Range.Line, cv.Range.Column = graph.Clamp32(k.Line+c.lineOffset), graph.Clamp32(k.Column)
			m.Map.Set(c.run.intern(k.Value), cv)
		}
		// Merge keys (<<) fill in what the mapping does not set itself.
		for _, mv := range merges {
			if mv.Kind != graph.Map {
				continue
			}
			for mk, x := range mv.Map.All() {
				if _, ok := m.Map.Lookup(mk); !ok {
					m.Map.Set(mk, x)
				}
			}
		}
		v = m
	case yaml.SequenceNode:
		l := &graph.Value{Kind: graph.List, List: make([]*graph.Value, 0, len(n.Content)), Range: rng}
		for _, e := range n.Content {
			cv, err := c.convert(e, depth+1)
			if err != nil {
				return nil, err
			}
			l.List = append(l.List, cv)
		}
		v = l
	case yaml.ScalarNode:
		v = c.run.scalar(n, rng)
	default:
		v = &graph.Value{Kind: graph.Null, Range: rng}
	}
	if c.tag != nil && isLocalTag(n.Tag) {
		v = c.tag(n.Tag, v)
	}
	return v, nil
}

// isLocalTag reports tags written with a single "!" (!Ref), as opposed to
// the standard "!!str" family that yaml.v3 resolves itself.
func isLocalTag(tag string) bool {
	return len(tag) > 1 && tag[0] == '!' && tag[1] != '!'
}

// isMerge tells a merge key (<<) whose value can be merged; any other
// "<<" is an ordinary key.
func isMerge(k, val *yaml.Node) bool {
	return k.ShortTag() == "!!merge" && (val.Kind == yaml.AliasNode || val.Kind == yaml.MappingNode || val.Kind == yaml.SequenceNode)
}

// firstKeyLine is the line of key's first definition in a mapping, for
// the duplicate-key error (the mapping keeps no line per key: that would
// cost a map per mapping for an error real files do not have).
func firstKeyLine(n *yaml.Node, key string) int {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; k.Value == key && !isMerge(k, n.Content[i+1]) {
			return k.Line
		}
	}
	return 0
}

func (r *runState) scalar(n *yaml.Node, rng graph.Range) *graph.Value {
	short := n.ShortTag()
	switch short {
	case "!!null":
		return &graph.Value{Kind: graph.Null, Range: rng}
	case "!!bool", "!!int", "!!float":
		// What yaml.v3 decodes a scalar to depends on its tag, text and
		// style only.
		k := scalarKey{short, n.Tag, n.Value, n.Style}
		sv, ok := r.scalars[k]
		if !ok {
			sv = decodeScalar(n, short)
			r.scalars[k] = sv
		}
		switch sv.kind {
		case graph.Bool:
			return &graph.Value{Kind: graph.Bool, Bool: sv.b, Range: rng}
		case graph.Number:
			return graph.NewNumberAt(sv.f, rng)
		}
	}
	return &graph.Value{Kind: graph.String, Str: r.intern(n.Value), Range: rng}
}

// decodeScalar decodes a boolean or number as yaml.v3 does; kind String
// means it does not decode and is kept as written.
func decodeScalar(n *yaml.Node, short string) scalarVal {
	if short == "!!bool" {
		var b bool
		if n.Decode(&b) == nil {
			return scalarVal{kind: graph.Bool, b: b}
		}
		return scalarVal{kind: graph.String}
	}
	var f float64
	if n.Decode(&f) == nil {
		return scalarVal{kind: graph.Number, f: f}
	}
	return scalarVal{kind: graph.String}
}
