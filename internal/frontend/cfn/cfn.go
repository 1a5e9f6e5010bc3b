// Package cfn reads AWS CloudFormation templates (YAML with short-form
// intrinsic tags, or JSON) into the resource graph, using the same resource
// types and attribute shapes as the Terraform front-ends so that one rule
// gives one verdict whatever the infrastructure is written in.
package cfn

import (
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
	if v.Map["AWSTemplateFormatVersion"] != nil {
		return true
	}
	res := v.Map["Resources"]
	if res == nil || res.Kind != graph.Map {
		return false
	}
	for _, r := range res.Map {
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
	return &graph.Value{Kind: graph.Map, Range: v.Range, Map: map[string]*graph.Value{key: v}}
}

// Load adds the resources of one template to g.
func Load(g *graph.Graph, tmpl *graph.Value, file string, opts Options) diag.List {
	return nil
}
