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
	"strconv"
	"strings"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/graph"
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
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var out []Document
	var diags diag.List
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return out, diags
		}
		if err != nil {
			return out, append(diags, syntaxDiag(err, file))
		}
		if len(doc.Content) == 0 {
			continue
		}
		c := &converter{file: file, budget: MaxValues, tag: opts.Tag}
		v, err := c.convert(doc.Content[0], 0)
		if err != nil {
			var d diag.Diagnostic
			if !errors.As(err, &d) {
				d = diag.Diagnostic{Severity: diag.Error, File: file, Summary: "invalid YAML", Detail: err.Error()}
			}
			diags = append(diags, d)
			continue
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
	line := 0
	// yaml.v3 writes "yaml: line N: ..." for syntax errors.
	if i := strings.Index(msg, "line "); i >= 0 {
		rest := msg[i+5:]
		if j := strings.IndexByte(rest, ':'); j > 0 {
			line, _ = strconv.Atoi(rest[:j])
		}
	}
	return diag.Diagnostic{Severity: diag.Error, File: file, Line: line, Summary: "invalid YAML", Detail: strings.TrimPrefix(msg, "yaml: ")}
}

type converter struct {
	file   string
	budget int
	tag    TagFunc
}

func (c *converter) convert(n *yaml.Node, depth int) (*graph.Value, error) {
	c.budget--
	if c.budget < 0 {
		return nil, diag.Diagnostic{Severity: diag.Error, File: c.file, Line: n.Line, Summary: "YAML document too large",
			Detail: fmt.Sprintf("more than %d values (alias expansion?); document skipped", MaxValues)}
	}
	if depth > MaxDepth {
		return nil, diag.Diagnostic{Severity: diag.Error, File: c.file, Line: n.Line, Summary: "YAML nested too deeply",
			Detail: fmt.Sprintf("more than %d levels; document skipped", MaxDepth)}
	}
	rng := graph.Range{File: c.file, Line: n.Line, Column: n.Column}
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
		m := &graph.Value{Kind: graph.Map, Map: make(map[string]*graph.Value, len(n.Content)/2), Range: rng}
		keyLine := make(map[string]int, len(n.Content)/2)
		var merges []*graph.Value
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if k.ShortTag() == "!!merge" && (val.Kind == yaml.AliasNode || val.Kind == yaml.MappingNode || val.Kind == yaml.SequenceNode) {
				mv, err := c.convert(val, depth+1)
				if err != nil {
					return nil, err
				}
				merges = append(merges, mv.Items()...)
				continue
			}
			if first, dup := keyLine[k.Value]; dup {
				return nil, diag.Diagnostic{Severity: diag.Error, File: c.file, Line: k.Line, Summary: "duplicate key in YAML",
					Detail: fmt.Sprintf("key %q is already defined at line %d; document skipped", k.Value, first)}
			}
			keyLine[k.Value] = k.Line
			cv, err := c.convert(val, depth+1)
			if err != nil {
				return nil, err
			}
			// A value is located at its key's line, where a reader looks.
			cv.Range.Line, cv.Range.Column = k.Line, k.Column
			m.Map[k.Value] = cv
		}
		// Merge keys (<<) fill in what the mapping does not set itself.
		for _, mv := range merges {
			if mv.Kind != graph.Map {
				continue
			}
			for mk, x := range mv.Map {
				if _, ok := m.Map[mk]; !ok {
					m.Map[mk] = x
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
		v = scalar(n, rng)
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

func scalar(n *yaml.Node, rng graph.Range) *graph.Value {
	switch n.ShortTag() {
	case "!!null":
		return &graph.Value{Kind: graph.Null, Range: rng}
	case "!!bool":
		var b bool
		if n.Decode(&b) == nil {
			return &graph.Value{Kind: graph.Bool, Bool: b, Range: rng}
		}
	case "!!int", "!!float":
		var f float64
		if n.Decode(&f) == nil {
			return &graph.Value{Kind: graph.Number, Num: f, Range: rng}
		}
	}
	return &graph.Value{Kind: graph.String, Str: n.Value, Range: rng}
}
