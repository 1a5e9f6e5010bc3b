// Package cfn reads AWS CloudFormation templates (YAML with short-form
// intrinsic tags, or JSON) into the resource graph, using the same resource
// types and attribute shapes as the Terraform front-ends so that one rule
// gives one verdict whatever the infrastructure is written in.
package cfn

import (
	"fmt"
	"strings"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/graph"
)

// Origin is the front-end name recorded on resources.
const Origin = "cloudformation"

// Options tune loading.
type Options struct {
	// Params override template Parameters and pseudo parameters
	// (--cfn-param NAME=VALUE).
	Params map[string]string
}

// Detect reports whether a decoded document is a CloudFormation template:
// it names AWSTemplateFormatVersion, or its Resources hold AWS:: types.
func Detect(v *graph.Value) bool {
	if v == nil || v.Kind != graph.Map {
		return false
	}
	if v.Map.Get("AWSTemplateFormatVersion") != nil {
		return true
	}
	res := v.Map.Get("Resources")
	if res == nil || res.Kind != graph.Map {
		return false
	}
	for _, r := range res.Map.All() {
		if t := r.Get("Type"); t != nil && t.Kind == graph.String && strings.HasPrefix(t.Str, "AWS::") {
			return true
		}
	}
	return false
}

// Tag turns a YAML short-form intrinsic (!Ref X, !GetAtt A.B, !Sub ...)
// into the long form ({"Ref": "X"}, {"Fn::GetAtt": ["A", "B"]}), keeping
// the position of the tagged value.
func Tag(tag string, v *graph.Value) *graph.Value {
	name := tag[1:]
	var key string
	switch name {
	case "Ref", "Condition":
		key = name
	case "GetAtt":
		key = "Fn::GetAtt"
		if v.Kind == graph.String {
			// !GetAtt A.B.C splits at the first dot: attribute names may
			// hold dots themselves (Endpoint.Address).
			res, attr, _ := strings.Cut(v.Str, ".")
			v = &graph.Value{Kind: graph.List, Range: v.Range, List: []*graph.Value{
				{Kind: graph.String, Str: res, Range: v.Range}, {Kind: graph.String, Str: attr, Range: v.Range}}}
		}
	default:
		key = "Fn::" + name
	}
	return &graph.Value{Kind: graph.Map, Range: v.Range, Map: graph.FieldsOf(map[string]*graph.Value{key: v})}
}

type loader struct {
	g         *graph.Graph
	file      string
	opts      Options
	diags     diag.List
	params    map[string]*param
	mappings  *graph.Value
	conds     map[string]*condState
	resources map[string]*graph.Value
	// refs records, for evaluated values, the logical IDs (or SSM
	// parameter keys) they refer to; an edge is drawn from wherever the
	// value ends up in the graph.
	refs map[*graph.Value][]string
	// targets are the graph resources references resolve to: the main
	// resource of each logical ID and the SSM parameter data sources.
	targets map[string]*graph.Resource
	// sam is set by Transform AWS::Serverless-2016-10-31.
	sam bool
	// open marks the sections (Resources, Mappings, Conditions) that a
	// transform adds to: a name missing from them may be in the part not
	// read, so it is unknown rather than an error.
	open map[string]bool
}

// Load adds the resources of one template to g. Problems (a resource
// without Type, an unknown function, a reference to nothing, a circular
// condition) are returned as positioned diagnostics and the rest of the
// template is still read.
func Load(g *graph.Graph, tmpl *graph.Value, file string, opts Options) (diags diag.List) {
	l := &loader{g: g, file: file, opts: opts, params: map[string]*param{}, conds: map[string]*condState{},
		resources: map[string]*graph.Value{}, refs: map[*graph.Value][]string{}, targets: map[string]*graph.Resource{},
		open: map[string]bool{}}
	defer func() {
		// A bug must cost one template, not the scan.
		if e := recover(); e != nil {
			diags = append(l.diags, diag.Diagnostic{Severity: diag.Error, File: file,
				Summary: "internal error reading CloudFormation template", Detail: fmt.Sprint(e)})
		}
	}()
	if tmpl == nil || tmpl.Kind != graph.Map {
		d := diag.Diagnostic{Severity: diag.Error, File: file, Summary: "invalid CloudFormation template", Detail: "the template must be a mapping"}
		if tmpl != nil {
			d.Line, d.Column = int(tmpl.Range.Line), int(tmpl.Range.Column)
		}
		return diag.List{d}
	}
	l.transforms(tmpl)
	l.mappings = tmpl.Map.Get("Mappings")
	if cs := tmpl.Map.Get("Conditions"); cs != nil && cs.Kind == graph.Map {
		for name, expr := range cs.Map.All() {
			if name != transformKey {
				l.conds[name] = &condState{expr: expr}
			}
		}
	}
	res := tmpl.Map.Get("Resources")
	if res == nil || res.Kind != graph.Map {
		rng := tmpl.Range
		if res != nil {
			rng = res.Range
		}
		l.errorf(rng, "invalid CloudFormation template", "Resources must be a mapping of logical IDs to resources")
		return l.diags
	}
	l.readParams(tmpl.Map.Get("Parameters"))
	res = l.expandResources(res, l.samGlobals(tmpl))
	for id, def := range res.Map.All() {
		l.resources[id] = def
	}

	var all []*out
	for _, id := range sortedIDs(res) {
		all = append(all, l.resource(id, res.Map.Get(id))...)
	}
	for _, o := range all {
		o.res = g.Add(&graph.Resource{Type: o.typ, Mode: o.mode, Name: o.name, Address: o.addr, ConfigAddr: o.addr,
			Attrs: o.attrs, Range: o.rng, Origin: Origin})
		if _, ok := l.targets[o.name]; !ok && o.mode != graph.Data {
			l.targets[o.name] = o.res
		}
	}
	for _, o := range all {
		l.link(o.res, o.attrs, "", 0)
		if o.parentAttr != "" {
			g.Link(o.res, l.targets[o.name], o.parentAttr)
		}
	}
	return l.diags
}

// resource evaluates one entry of Resources and maps it.
func (l *loader) resource(id string, def *graph.Value) []*out {
	rng := l.at(def.Range)
	if def.Kind != graph.Map {
		l.errorf(rng, "invalid resource", "resource %s must be a mapping with a Type", id)
		return nil
	}
	t := def.Map.Get("Type")
	if t == nil || t.Kind != graph.String || t.Str == "" {
		l.errorf(rng, "resource without Type", "resource %s has no Type; it is not read", id)
		return nil
	}
	if c := def.Map.Get("Condition"); c != nil {
		if c.Kind != graph.String {
			l.errorf(c.Range, "invalid condition", "the Condition of resource %s must name a condition", id)
		} else if l.condition(c.Str, l.at(c.Range), 0) == triFalse {
			// Not created with these parameters. An undecided condition
			// keeps the resource: it may exist.
			return nil
		}
	}
	props := def.Map.Get("Properties")
	ev := &graph.Value{Kind: graph.Map, Map: graph.NewFields(0), Range: rng}
	if props != nil {
		switch e := l.eval(props, 0); {
		case e == noValue || e.Kind == graph.Null:
		case e.Kind == graph.Map:
			ev = e
		case e.Kind == graph.Unknown:
			// A macro's output, say: every attribute is unknown, which
			// is not the same as every attribute left at its default.
			// A transform has been reported as unread already.
			if intrinsicName(props) != transformKey {
				l.warnf(props.Range, "properties not known", "the Properties of resource %s are computed at deploy time", id)
			}
			outs := l.mapResource(id, t.Str, ev, rng)
			if len(outs) > 0 {
				outs[0].attrs = e
			}
			return outs[:min(len(outs), 1)]
		default:
			l.errorf(props.Range, "invalid resource", "the Properties of resource %s must be a mapping", id)
		}
	}
	return l.mapResource(id, t.Str, ev, rng)
}

// link draws an edge from r for every reference recorded on its attribute
// values, at the dotted attribute path (list positions left out, as the
// Terraform front-ends do).
func (l *loader) link(r *graph.Resource, v *graph.Value, path string, depth int) {
	if v == nil || depth > maxDepth {
		return
	}
	for _, id := range l.refs[v] {
		l.g.Link(r, l.targets[id], path)
	}
	switch v.Kind {
	case graph.List:
		for _, e := range v.List {
			l.link(r, e, path, depth+1)
		}
	case graph.Map:
		for _, k := range v.Keys() {
			l.link(r, v.Map.Get(k), joinPath(path, k), depth+1)
		}
	}
}

// addSSMParam adds, once per key, the data source an SSM parameter
// reference stands for: aws_ssm_parameter with the parameter's name, the
// shape the Terraform front-ends give data "aws_ssm_parameter".
func (l *loader) addSSMParam(key, name string, nameVal *graph.Value, rng graph.Range) {
	if _, ok := l.targets[key]; ok {
		return
	}
	attrs := graph.NewMap(map[string]*graph.Value{"name": relocate(nameVal, l.at(nameVal.Range))})
	attrs.Range = l.at(rng)
	l.targets[key] = l.g.Add(&graph.Resource{Type: "aws_ssm_parameter", Mode: graph.Data, Name: name, Address: key,
		ConfigAddr: key, Attrs: attrs, Range: l.at(rng), Origin: Origin})
}

// samGlobals returns the Globals section of a SAM template (Transform
// AWS::Serverless-2016-10-31), whose properties apply to every resource of
// the kind they are listed under.
func (l *loader) samGlobals(tmpl *graph.Value) *graph.Value {
	if g := tmpl.Map.Get("Globals"); l.sam && g != nil && g.Kind == graph.Map {
		return g
	}
	return nil
}

// mergeGlobals adds the global properties a resource does not set itself.
func mergeGlobals(props, globals *graph.Value) *graph.Value {
	if globals.Kind != graph.Map || (props != nil && props.Kind != graph.Map) {
		return props
	}
	out := &graph.Value{Kind: graph.Map, Map: graph.NewFields(0), Range: globals.Range}
	if props != nil {
		out.Range = props.Range
		for k, v := range props.Map.All() {
			out.Map.Set(k, v)
		}
	}
	for k, v := range globals.Map.All() {
		if _, ok := out.Map.Lookup(k); !ok {
			out.Map.Set(k, v)
		}
	}
	return out
}
