package tffunc

import (
	"errors"
	"fmt"
	"strings"

	"github.com/eksguard/eksguard/internal/jsonpos"
	"github.com/eksguard/eksguard/internal/yamlpos"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"go.yaml.in/yaml/v3"
)

// jsondecode and yamldecode build a value as deep as the document they
// read, and the value's type holds every level below it, so the cost of
// typing and converting it grows with the square of the depth (a JSON
// array 10,000 deep took 8 s and 1.7 GB); go-cty-yaml has no bound on
// nesting (a 2 MB document a million deep ran for minutes) nor on what
// aliases expand to (a billion-laughs document of 500 bytes took 20 GB).
// So a document is measured first and refused past the bounds jsonpos and
// yamlpos set for the files eksguard reads itself.
const (
	maxDecodeDepth  = jsonpos.MaxDepth
	maxDecodeValues = yamlpos.MaxValues
)

// bounded is f, a decoding function of one string, refusing first a
// string that measure finds past the bounds.
func bounded(f function.Function, measure func(string) error) function.Function {
	return function.New(&function.Spec{
		Description: f.Description(),
		Params:      f.Params(),
		Type: func(args []cty.Value) (cty.Type, error) {
			if s := args[0]; s.IsKnown() && !s.IsNull() {
				if err := measure(s.AsString()); err != nil {
					return cty.NilType, function.NewArgError(0, err)
				}
			}
			return f.ReturnTypeForValues(args)
		},
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) { return f.Call(args) },
	})
}

// jsonDepth refuses a JSON document nested deeper than maxDecodeDepth,
// counting the brackets and braces outside strings.
func jsonDepth(s string) error {
	depth, inString := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case inString:
			switch c {
			case '\\':
				i++
			case '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			if depth++; depth > maxDecodeDepth {
				return fmt.Errorf("the JSON document nests deeper than %d levels", maxDecodeDepth)
			}
		case c == ']' || c == '}':
			depth--
		}
	}
	return nil
}

// yamlSize refuses a YAML document nested deeper than maxDecodeDepth or
// standing for more than maxDecodeValues values once its aliases are
// expanded, as go-cty-yaml expands them. A document yaml.v3 cannot read
// for another reason than its depth is left to go-cty-yaml to report.
func yamlSize(s string) error {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(s), &doc); err != nil {
		if strings.Contains(err.Error(), "exceeded max depth") {
			return fmt.Errorf("the YAML document nests deeper than %d levels", maxDecodeDepth)
		}
		return nil
	}
	type measure struct{ depth, values int }
	seen := map[*yaml.Node]measure{}
	open := map[*yaml.Node]bool{}
	errCycle := errors.New("a YAML alias refers to a node that holds it")
	// yaml.v3 refuses nesting past 10,000 levels, so this recursion stays
	// shallow; each anchor is measured once, however often it is used.
	var walk func(n *yaml.Node) (measure, error)
	walk = func(n *yaml.Node) (measure, error) {
		if m, ok := seen[n]; ok {
			return m, nil
		}
		if open[n] {
			return measure{}, errCycle
		}
		open[n] = true
		defer delete(open, n)
		kids := n.Content
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			kids = []*yaml.Node{n.Alias}
		}
		// Only mappings and sequences are levels, as brackets are in JSON.
		level := 0
		if n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode {
			level = 1
		}
		m := measure{depth: level, values: 1}
		for _, k := range kids {
			km, err := walk(k)
			if err != nil {
				return measure{}, err
			}
			m.depth = max(m.depth, level+km.depth)
			m.values = min(m.values+km.values, maxDecodeValues+1)
		}
		seen[n] = m
		return m, nil
	}
	m, err := walk(&doc)
	switch {
	case err != nil:
		return err
	case m.depth > maxDecodeDepth:
		return fmt.Errorf("the YAML document nests deeper than %d levels", maxDecodeDepth)
	case m.values > maxDecodeValues:
		return fmt.Errorf("the YAML document stands for more than %d values once its aliases are expanded", maxDecodeValues)
	}
	return nil
}
