package tfhcl

import (
	"encoding/json"
	"sort"

	"github.com/zclconf/go-cty/cty"
)

// renderPolicyDocument computes the json attribute of a data
// "aws_iam_policy_document" the way the provider writes it, so policies
// built with it reach the same model as jsonencode() and heredoc ones. Any
// unknown input, or an input this renderer does not merge
// (source_policy_documents, override_policy_documents), makes it unknown.
func renderPolicyDocument(obj cty.Value) cty.Value {
	if !obj.IsKnown() || obj.IsNull() || !obj.Type().IsObjectType() {
		return cty.UnknownVal(cty.String)
	}
	for _, merge := range []string{"source_policy_documents", "override_policy_documents", "source_json", "override_json"} {
		if obj.Type().HasAttribute(merge) && !obj.GetAttr(merge).IsNull() {
			return cty.UnknownVal(cty.String)
		}
	}
	if !obj.IsWhollyKnown() {
		return cty.UnknownVal(cty.String)
	}
	doc := map[string]any{"Version": "2012-10-17"}
	if v := str(obj, "version"); v != "" {
		doc["Version"] = v
	}
	if v := str(obj, "policy_id"); v != "" {
		doc["Id"] = v
	}
	var stmts []any
	for _, s := range blocks(obj, "statement") {
		st := map[string]any{}
		if v := str(s, "sid"); v != "" {
			st["Sid"] = v
		}
		st["Effect"] = "Allow"
		if v := str(s, "effect"); v != "" {
			st["Effect"] = v
		}
		for attr, key := range map[string]string{"actions": "Action", "not_actions": "NotAction", "resources": "Resource", "not_resources": "NotResource"} {
			if l := strs(s, attr); l != nil {
				st[key] = oneOrMany(l)
			}
		}
		for attr, key := range map[string]string{"principals": "Principal", "not_principals": "NotPrincipal"} {
			ps := blocks(s, attr)
			if len(ps) == 0 {
				continue
			}
			m := map[string][]string{}
			for _, p := range ps {
				t := str(p, "type")
				m[t] = append(m[t], strs(p, "identifiers")...)
			}
			if len(m) == 1 && m["*"] != nil {
				st[key] = "*"
				continue
			}
			out := map[string]any{}
			for t, ids := range m {
				sort.Strings(ids)
				out[t] = oneOrMany(ids)
			}
			st[key] = out
		}
		if conds := blocks(s, "condition"); len(conds) > 0 {
			c := map[string]map[string]any{}
			for _, cd := range conds {
				test, variable := str(cd, "test"), str(cd, "variable")
				if c[test] == nil {
					c[test] = map[string]any{}
				}
				c[test][variable] = oneOrMany(strs(cd, "values"))
			}
			st["Condition"] = c
		}
		stmts = append(stmts, st)
	}
	doc["Statement"] = stmts
	b, err := json.Marshal(doc)
	if err != nil {
		return cty.UnknownVal(cty.String)
	}
	return cty.StringVal(string(b))
}

func oneOrMany(l []string) any {
	if len(l) == 1 {
		return l[0]
	}
	return l
}

func attr(obj cty.Value, name string) cty.Value {
	if !obj.IsKnown() || obj.IsNull() || !obj.Type().IsObjectType() || !obj.Type().HasAttribute(name) {
		return cty.NullVal(cty.DynamicPseudoType)
	}
	return obj.GetAttr(name)
}

func str(obj cty.Value, name string) string {
	v := attr(obj, name)
	if v.IsNull() || !v.IsKnown() || v.Type() != cty.String {
		return ""
	}
	return v.AsString()
}

func strs(obj cty.Value, name string) []string {
	v := attr(obj, name)
	if v.IsNull() || !v.IsKnown() || !v.CanIterateElements() {
		if v.IsKnown() && !v.IsNull() && v.Type() == cty.String {
			return []string{v.AsString()}
		}
		return nil
	}
	out := []string{}
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.IsKnown() && !e.IsNull() && e.Type() == cty.String {
			out = append(out, e.AsString())
		}
	}
	return out
}

func blocks(obj cty.Value, name string) []cty.Value {
	v := attr(obj, name)
	if v.IsNull() || !v.IsKnown() || !v.CanIterateElements() {
		return nil
	}
	var out []cty.Value
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		out = append(out, e)
	}
	return out
}
