package builtin

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/rule"
)

// This file reads just enough of an IAM role trust policy to tell whether
// a Kubernetes service account may assume the role through IRSA
// (sts:AssumeRoleWithWebIdentity from the cluster's OIDC provider). It is
// deliberately small: conditions other than the token's ":sub" claim are
// not evaluated here; the IAM rules judge those.

// irsaAction is the call the AWS SDKs make with a projected service
// account token.
const irsaAction = "sts:AssumeRoleWithWebIdentity"

// irsaProviderRE matches the ARN of an EKS cluster's IAM OIDC provider.
var irsaProviderRE = regexp.MustCompile(`(?i):oidc-provider/oidc\.eks\.[a-z0-9-]+\.amazonaws\.com(\.cn)?/id/`)

// trustStatement is one statement of a trust policy, reduced to what IRSA
// admission depends on.
type trustStatement struct {
	Allow bool
	// WebIdentity is true when the principal may be an EKS OIDC provider
	// ("*", or a Federated provider of an EKS cluster).
	WebIdentity bool
	// Action is true when the statement covers sts:AssumeRoleWithWebIdentity.
	Action bool
	// Subs are the tests on the token's sub claim; all must hold.
	Subs []trustSubTest
	// Other is true when the statement has conditions on keys other than
	// ":sub", which this reader does not evaluate.
	Other bool
}

// trustSubTest is one condition operator applied to a ":sub" key.
type trustSubTest struct {
	Op     string // StringEquals, StringLike... without ForAnyValue:/IfExists
	Values []string
}

type trustPolicy struct {
	Statements []trustStatement
}

// parseTrustPolicy reads a policy document written as JSON.
func parseTrustPolicy(doc string) (*trustPolicy, error) {
	var raw struct {
		Statement json.RawMessage
	}
	if err := json.Unmarshal([]byte(doc), &raw); err != nil {
		return nil, fmt.Errorf("not a JSON policy document: %v", err)
	}
	var stmts []map[string]any
	if len(raw.Statement) > 0 && raw.Statement[0] == '{' {
		var one map[string]any
		if err := json.Unmarshal(raw.Statement, &one); err != nil {
			return nil, fmt.Errorf("Statement: %v", err)
		}
		stmts = append(stmts, one)
	} else if len(raw.Statement) > 0 {
		if err := json.Unmarshal(raw.Statement, &stmts); err != nil {
			return nil, fmt.Errorf("Statement: %v", err)
		}
	}
	tp := &trustPolicy{}
	for i, s := range stmts {
		st, err := parseTrustStatement(s)
		if err != nil {
			return nil, fmt.Errorf("statement %d: %v", i, err)
		}
		tp.Statements = append(tp.Statements, st)
	}
	return tp, nil
}

func parseTrustStatement(s map[string]any) (trustStatement, error) {
	var st trustStatement
	effect, _ := s["Effect"].(string)
	switch effect {
	case "Allow":
		st.Allow = true
	case "Deny":
	default:
		return st, fmt.Errorf("Effect %q is neither Allow nor Deny", effect)
	}
	// NotPrincipal names who is NOT covered; a trust statement using it
	// is too rare to model, so it is taken as not about web identities.
	switch p := s["Principal"].(type) {
	case string:
		st.WebIdentity = p == "*"
	case map[string]any:
		for _, f := range trustStrings(p["Federated"]) {
			if f == "*" || irsaProviderRE.MatchString(f) {
				st.WebIdentity = true
			}
		}
	}
	if a, ok := s["Action"]; ok {
		st.Action = trustActionMatch(trustStrings(a))
	} else if na, ok := s["NotAction"]; ok {
		st.Action = !trustActionMatch(trustStrings(na))
	}
	cond, _ := s["Condition"].(map[string]any)
	for op, block := range cond {
		keys, ok := block.(map[string]any)
		if !ok {
			return st, fmt.Errorf("Condition %s is not an object", op)
		}
		for key, vals := range keys {
			if !strings.HasSuffix(strings.ToLower(key), ":sub") {
				st.Other = true
				continue
			}
			st.Subs = append(st.Subs, trustSubTest{Op: trustBaseOp(op), Values: trustStrings(vals)})
		}
	}
	// Map order is random; keep messages stable.
	sort.Slice(st.Subs, func(i, j int) bool { return st.Subs[i].Op < st.Subs[j].Op })
	return st, nil
}

// trustBaseOp strips the set and IfExists qualifiers: the sub claim is a
// single value that every IRSA token carries, so they change nothing.
func trustBaseOp(op string) string {
	if i := strings.IndexByte(op, ':'); i >= 0 {
		op = op[i+1:]
	}
	return strings.TrimSuffix(op, "IfExists")
}

// trustStrings reads a policy element that may be a string or a list.
func trustStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, trustStrings(e)...)
		}
		return out
	case bool:
		return []string{strconv.FormatBool(x)}
	case float64:
		return []string{strconv.FormatFloat(x, 'f', -1, 64)}
	}
	return nil
}

// trustActionMatch reports whether one of the action patterns covers
// sts:AssumeRoleWithWebIdentity; action names are case-insensitive.
func trustActionMatch(patterns []string) bool {
	for _, p := range patterns {
		if trustGlob(strings.ToLower(p), strings.ToLower(irsaAction)) {
			return true
		}
	}
	return false
}

// trustGlob matches IAM's StringLike wildcards: * is any run of
// characters, ? exactly one.
func trustGlob(pattern, s string) bool {
	// Iterative matcher with one backtrack point: linear in practice and
	// never exponential on patterns with many stars.
	pi, si, star, mark := 0, 0, -1, 0
	for si < len(s) {
		switch {
		case pi < len(pattern) && pattern[pi] == '*':
			star, mark = pi, si
			pi++
		case pi < len(pattern) && (pattern[pi] == '?' || pattern[pi] == s[si]):
			pi++
			si++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(pattern) && pattern[pi] == '*' {
		pi++
	}
	return pi == len(pattern)
}

// test evaluates one sub condition against a subject; unknown for
// operators this reader does not model.
func (t trustSubTest) test(sub string) rule.Tri {
	var match func(v string) bool
	negate := false
	switch t.Op {
	case "StringEquals":
		match = func(v string) bool { return v == sub }
	case "StringNotEquals":
		match, negate = func(v string) bool { return v == sub }, true
	case "StringEqualsIgnoreCase":
		match = func(v string) bool { return strings.EqualFold(v, sub) }
	case "StringNotEqualsIgnoreCase":
		match, negate = func(v string) bool { return strings.EqualFold(v, sub) }, true
	case "StringLike":
		match = func(v string) bool { return trustGlob(v, sub) }
	case "StringNotLike":
		match, negate = func(v string) bool { return trustGlob(v, sub) }, true
	default:
		return rule.TriUnknown
	}
	hit := false
	for _, v := range t.Values {
		if match(v) {
			hit = true
			break
		}
	}
	return rule.Of(hit != negate)
}

// subjects renders what a statement's sub conditions admit, for messages.
func (st trustStatement) subjects() string {
	if len(st.Subs) == 0 {
		return "any service account"
	}
	var parts []string
	for _, t := range st.Subs {
		parts = append(parts, t.Op+" "+strings.Join(t.Values, ", "))
	}
	return strings.Join(parts, " and ")
}

// admitsServiceAccount decides whether the trust lets the service account
// namespace/name assume the role through IRSA. allowed describes what the
// Allow statements admit, for a failure message.
func (tp *trustPolicy) admitsServiceAccount(namespace, name string) (t rule.Tri, allowed []string) {
	sub := "system:serviceaccount:" + namespace + ":" + name
	allow, deny := rule.False, rule.False
	for _, st := range tp.Statements {
		if !st.WebIdentity || !st.Action {
			continue
		}
		conds := make([]rule.Tri, 0, len(st.Subs))
		for _, c := range st.Subs {
			conds = append(conds, c.test(sub))
		}
		applies := rule.And(conds...)
		if st.Allow {
			// Conditions on other keys (aud, ...) do not depend on which
			// service account asks; the IAM rules judge them.
			allow = rule.Or(allow, applies)
			allowed = append(allowed, st.subjects())
			continue
		}
		if st.Other && applies == rule.True {
			// A Deny narrowed by conditions this reader does not evaluate
			// may or may not apply.
			applies = rule.TriUnknown
		}
		deny = rule.Or(deny, applies)
	}
	return rule.And(allow, deny.Not()), allowed
}

// trustPolicyText returns a role's trust policy as JSON text. Policies
// usually arrive as a JSON string; a front-end may give the document as an
// object instead. ok is false when any part is known only after apply.
func trustPolicyText(v *graph.Value) (doc string, ok bool) {
	switch {
	case v == nil || v.IsUnknown():
		return "", false
	case v.Kind == graph.String:
		return v.Str, true
	case v.Kind == graph.Map:
		if trustHasUnknown(v) {
			return "", false
		}
		b, err := json.Marshal(v.Interface())
		if err != nil {
			return "", false
		}
		return string(b), true
	}
	return "", false
}

func trustHasUnknown(v *graph.Value) bool {
	if v.IsUnknown() {
		return true
	}
	if v == nil {
		return false
	}
	for _, e := range v.List {
		if trustHasUnknown(e) {
			return true
		}
	}
	for _, e := range v.Map {
		if trustHasUnknown(e) {
			return true
		}
	}
	return false
}
