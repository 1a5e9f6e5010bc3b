package frontend

import (
	"path/filepath"
	"strings"

	"github.com/eksguard/eksguard/internal/graph"
)

// isPolicyDocument reports whether a JSON document is an IAM policy: an
// object with a Statement (and usually a Version), and nothing that makes
// it another kind of input.
func isPolicyDocument(v *graph.Value) bool {
	if v == nil || v.Kind != graph.Map {
		return false
	}
	st := v.Map.Get("Statement")
	if st == nil || (st.Kind != graph.List && st.Kind != graph.Map) {
		return false
	}
	for k := range v.Map.All() {
		switch k {
		case "Version", "Statement", "Id":
		default:
			return false
		}
	}
	return true
}

// loadPolicyFile adds a standalone policy document to the graph in the
// shape Terraform gives the same policy, so every IAM rule reads it
// unchanged: a trust policy (every statement admits principals to
// sts:AssumeRole*) becomes the assume_role_policy of an aws_iam_role; any
// other document an unattached aws_iam_policy. Both are named after the
// file. The document keeps its positions for findings.
func loadPolicyFile(g *graph.Graph, doc *graph.Value, file string) {
	name := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	text, _ := doc.MarshalJSON()
	policy := &graph.Value{Kind: graph.String, Str: string(text), Range: doc.Range}
	policy.SetDoc(doc)
	typ, attr := "aws_iam_policy", "policy"
	if isTrustPolicy(doc) {
		typ, attr = "aws_iam_role", "assume_role_policy"
	}
	g.Add(&graph.Resource{
		Type:    typ,
		Name:    name,
		Address: typ + "." + name,
		Attrs: graph.NewMap(map[string]*graph.Value{
			"name": {Kind: graph.String, Str: name, Range: doc.Range},
			attr:   policy,
		}),
		Range:  doc.Range,
		Origin: "iam-policy",
	})
}

func isTrustPolicy(doc *graph.Value) bool {
	items := doc.Map.Get("Statement").Items()
	if len(items) == 0 {
		return false
	}
	for _, st := range items {
		if st.Kind != graph.Map || st.Map.Get("Principal") == nil {
			return false
		}
		acts := st.Map.Get("Action")
		if acts == nil {
			return false
		}
		for _, a := range acts.Items() {
			if a.Kind != graph.String || !strings.HasPrefix(strings.ToLower(a.Str), "sts:assumerole") {
				return false
			}
		}
	}
	return true
}
