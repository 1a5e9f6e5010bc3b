package tfhcl

import (
	"encoding/json"
	"sort"

	"github.com/eksguard/eksguard/internal/frontend/tfhcl/tfmark"
	"github.com/zclconf/go-cty/cty"
)

// renderPolicyDocument computes the json attribute of a data
// "aws_iam_policy_document" the way the provider writes it, so policies
// built with it reach the same model as jsonencode() and heredoc ones:
// the source_policy_documents merged first, this document's statements
// replacing those with the same sid (or appended), then the
// override_policy_documents' statements replacing theirs likewise. An
// input that is not known makes it unknown, with that input's reason.
func renderPolicyDocument(obj cty.Value) cty.Value {
	obj, _ = obj.Unmark()
	if !obj.IsKnown() || obj.IsNull() || !obj.Type().IsObjectType() {
		return tfmark.Unknown(cty.String, "the policy document's arguments are not known")
	}
	if !obj.IsWhollyKnown() && !shapeKnown(obj) {
		why := "part of the policy document is not known"
		if r := tfmark.First(obj); r != "" {
			why = r
		}
		return tfmark.Unknown(cty.String, why)
	}
	// Sensitive values render like others; the marks would make cty panic.
	// A leaf not known (an ARN known only after apply in resources) is
	// written as the generated placeholder: the document stays readable,
	// that element alone unknown.
	obj, _ = obj.UnmarkDeep()
	var merged []map[string]any
	merge := func(stmts []map[string]any) {
		for _, st := range stmts {
			sid, _ := st["Sid"].(string)
			replaced := false
			if sid != "" {
				for i, old := range merged {
					if s, _ := old["Sid"].(string); s == sid {
						merged[i], replaced = st, true
						break
					}
				}
			}
			if !replaced {
				merged = append(merged, st)
			}
		}
	}
	docs := func(names ...string) ([]map[string]any, string) {
		var out []map[string]any
		for _, n := range names {
			for _, js := range strs(obj, n) {
				stmts, err := statementsOf(js)
				if err != nil {
					return nil, n + " holds a document that cannot be read: " + err.Error()
				}
				out = append(out, stmts...)
			}
		}
		return out, ""
	}
	src, bad := docs("source_policy_documents", "source_json")
	if bad != "" {
		return tfmark.Unknown(cty.String, bad)
	}
	merge(src)
	merge(ownStatements(obj))
	over, bad := docs("override_policy_documents", "override_json")
	if bad != "" {
		return tfmark.Unknown(cty.String, bad)
	}
	merge(over)

	doc := map[string]any{"Version": "2012-10-17"}
	if v := str(obj, "version"); v != "" {
		doc["Version"] = v
	}
	if v := str(obj, "policy_id"); v != "" {
		doc["Id"] = v
	}
	stmts := make([]any, len(merged))
	for i, st := range merged {
		stmts[i] = st
	}
	doc["Statement"] = stmts
	b, err := json.Marshal(doc)
	if err != nil {
		return tfmark.Unknown(cty.String, "the policy document cannot be rendered: "+err.Error())
	}
	return cty.StringVal(string(b))
}

// statementsOf reads the statements of a JSON policy document, one
// statement or a list.
func statementsOf(js string) ([]map[string]any, error) {
	var d struct {
		Statement json.RawMessage
	}
	if err := json.Unmarshal([]byte(js), &d); err != nil {
		return nil, err
	}
	if len(d.Statement) == 0 {
		return nil, nil
	}
	var list []map[string]any
	if json.Unmarshal(d.Statement, &list) == nil {
		return list, nil
	}
	var one map[string]any
	if err := json.Unmarshal(d.Statement, &one); err != nil {
		return nil, err
	}
	return []map[string]any{one}, nil
}

// ownStatements renders the statement blocks of the document itself.
func ownStatements(obj cty.Value) []map[string]any {
	var stmts []map[string]any
	for _, s := range blocks(obj, "statement") {
		st := map[string]any{}
		if v := str(s, "sid"); v != "" {
			st["Sid"] = v
		}
		st["Effect"] = "Allow"
		if v := str(s, "effect"); v != "" {
			st["Effect"] = v
		} else if !attr(s, "effect").IsKnown() {
			st["Effect"] = generatedPlaceholder
		}
		for attr, key := range map[string]string{"actions": "Action", "not_actions": "NotAction", "resources": "Resource", "not_resources": "NotResource"} {
			if l := strs(s, attr); len(l) > 0 {
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
	return stmts
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
	if !v.IsKnown() {
		// The whole list is unknown: one element standing for any.
		return []string{generatedPlaceholder}
	}
	if v.IsNull() || !v.CanIterateElements() {
		if !v.IsNull() && v.Type() == cty.String {
			return []string{v.AsString()}
		}
		return nil
	}
	out := []string{}
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		switch {
		case !e.IsKnown():
			out = append(out, generatedPlaceholder)
		case !e.IsNull() && e.Type() == cty.String:
			out = append(out, e.AsString())
		}
	}
	return out
}

// shapeKnown tells whether a policy document with unknown parts can still
// be rendered: the statements, their principals and conditions, their
// sids, principal types and condition operators and keys, and the source
// and override documents are known; only lists of actions, resources,
// identifiers and values (or their elements), and an effect, may not be.
func shapeKnown(obj cty.Value) bool {
	known := func(v cty.Value, names ...string) bool {
		for _, n := range names {
			if a := attr(v, n); !a.IsKnown() {
				return false
			}
		}
		return true
	}
	if !known(obj, "statement", "version", "policy_id") {
		return false
	}
	for _, n := range []string{"source_policy_documents", "override_policy_documents", "source_json", "override_json"} {
		if a := attr(obj, n); !a.IsWhollyKnown() {
			return false
		}
	}
	for _, st := range blocks(obj, "statement") {
		if !st.IsKnown() || !known(st, "sid", "principals", "not_principals", "condition") {
			return false
		}
		for _, n := range []string{"principals", "not_principals"} {
			for _, p := range blocks(st, n) {
				if !p.IsKnown() || !known(p, "type") {
					return false
				}
			}
		}
		for _, c := range blocks(st, "condition") {
			if !c.IsKnown() || !known(c, "test", "variable") {
				return false
			}
		}
	}
	return true
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
