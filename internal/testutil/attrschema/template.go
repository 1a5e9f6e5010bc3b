package attrschema

import (
	"fmt"
	"strings"

	"github.com/eksguard/eksguard/internal/graph"
)

// Template builds a CloudFormation template (as the front-end's decoder
// would give it) with one resource of each type, logical IDs R0, R1, ...,
// setting every property the specification lists, at every depth: a
// string "x", the number 1, true, a one-element list, a map or JSON value
// with one user key. Every value's line is distinct, and where maps each
// line to "<type> <property path>", so whatever the mapping makes of a
// value can be traced back to the property it came from. strs gives other
// strings by "<type> <property path>", for properties whose value decides
// where the mapping puts them (a root device name, a flow log's resource
// type).
func (s *Schema) Template(types []string, strs map[string]string) (tmpl *graph.Value, where map[int]string) {
	where = map[int]string{}
	line := 0
	at := func(what string) graph.Range {
		line++
		where[line] = what
		return graph.Range{File: "synth.yaml", Line: int32(line)}
	}
	res := map[string]*graph.Value{}
	for i, typ := range types {
		paths := s.types[typ]
		children := map[string][]string{}
		for p := range paths {
			parent := ""
			if j := strings.LastIndexByte(p, '.'); j >= 0 {
				parent = p[:j]
			}
			children[parent] = append(children[parent], p)
		}
		var object func(prefix string, rng graph.Range) *graph.Value
		value := func(path string) *graph.Value {
			rng := at(typ + " " + path)
			kind := pickKind(paths[path])
			list := strings.HasPrefix(kind, "[]")
			kind = strings.TrimPrefix(kind, "[]")
			str := func(x string) *graph.Value { return &graph.Value{Kind: graph.String, Str: x, Range: rng} }
			var v *graph.Value
			switch kind {
			case "object":
				v = object(path, rng)
			case "integer", "number":
				v = graph.NewNumberAt(1, rng)
			case "boolean":
				v = &graph.Value{Kind: graph.Bool, Bool: true, Range: rng}
			case "map", "json":
				v = &graph.Value{Kind: graph.Map, Range: rng, Map: graph.FieldsOf(map[string]*graph.Value{"userKey": str("v")})}
			case "tag":
				v = &graph.Value{Kind: graph.Map, Range: rng, Map: graph.FieldsOf(map[string]*graph.Value{"Key": str("k"), "Value": str("v")})}
			default:
				x, ok := strs[typ+" "+path]
				if !ok {
					x = "x"
				}
				v = str(x)
			}
			if list {
				return &graph.Value{Kind: graph.List, List: []*graph.Value{v}, Range: rng}
			}
			return v
		}
		object = func(prefix string, rng graph.Range) *graph.Value {
			m := map[string]*graph.Value{}
			for _, p := range children[prefix] {
				m[p[strings.LastIndexByte(p, '.')+1:]] = value(p)
			}
			return &graph.Value{Kind: graph.Map, Map: graph.FieldsOf(m), Range: rng}
		}
		res[fmt.Sprintf("R%d", i)] = graph.NewMap(map[string]*graph.Value{
			"Type": graph.NewString(typ), "Properties": object("", at(typ))})
	}
	return graph.NewMap(map[string]*graph.Value{
		"AWSTemplateFormatVersion": graph.NewString("2010-09-09"),
		"Resources":                graph.NewMap(res),
	}), where
}

// pickKind chooses, of a union, the object form (so its properties are
// set too), else the first.
func pickKind(kind string) string {
	alts := strings.Split(kind, "|")
	for _, a := range alts {
		if strings.TrimPrefix(a, "[]") == "object" {
			return a
		}
	}
	return alts[0]
}
