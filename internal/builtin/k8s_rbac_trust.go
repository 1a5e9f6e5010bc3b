package builtin

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/iam"
	"github.com/eksguard/eksguard/internal/rule"
)

// K8S-035 asks one question of a role's trust policy: may the service
// account namespace/name assume the role through IRSA
// (sts:AssumeRoleWithWebIdentity from the cluster's OIDC provider)? The
// document is read, and its actions and ":sub" conditions are evaluated, by
// internal/iam, so this rule and the IAM rules cannot disagree about what a
// policy says. Conditions on other keys do not depend on which service
// account asks; the IAM rules judge those.

// irsaAction is the call the AWS SDKs make with a projected service
// account token.
const irsaAction = "sts:AssumeRoleWithWebIdentity"

// irsaProviderRE matches the ARN of an EKS cluster's IAM OIDC provider.
var irsaProviderRE = regexp.MustCompile(`(?i):oidc-provider/oidc\.eks\.[a-z0-9-]+\.amazonaws\.com(\.cn)?/id/`)

type trustPolicy struct {
	pol *iam.Policy
}

// parseTrustPolicy reads a policy document written as JSON. A document the
// IAM reader finds malformed is an error rather than a verdict: AWS
// rejects such a document, so what the role would admit is not knowable.
func parseTrustPolicy(doc string) (*trustPolicy, error) {
	pol := iam.FromJSON(doc, "assume_role_policy")
	if len(pol.Errors) > 0 {
		return nil, errors.New(strings.Join(pol.Errors, "; "))
	}
	for _, st := range pol.Statements {
		// The reader records a condition operator that holds no object as
		// an unknown condition without an error; here the document is
		// known text, so it is malformed, not pending.
		if st.ConditionUnknown {
			return nil, fmt.Errorf("statement %s: a Condition operator does not hold an object", st.Label())
		}
	}
	return &trustPolicy{pol: pol}, nil
}

// trustWebIdentity reports whether the principal may be an EKS OIDC
// provider. {"AWS": "*"} is not counted, only "*" itself and Federated
// principals: whether STS accepts a web identity token through an AWS
// principal is not established, and counting it would turn failures into
// passes on that guess.
func trustWebIdentity(p iam.Principal) bool {
	if p.Any && len(p.ByKind) == 0 {
		return true
	}
	for _, f := range p.ByKind.Get("Federated").Values {
		if f == "*" || irsaProviderRE.MatchString(f) {
			return true
		}
	}
	return false
}

// trustSubTest evaluates one condition on the token's sub claim. Only the
// String operators are decided: the claim is a plain string, and what AWS
// makes of an ARN or Bool operator on it is not modelled, so those leave
// the verdict open instead of taking the evaluator's answer for ARNs.
func trustSubTest(c iam.Condition, sub string) rule.Tri {
	if !strings.HasPrefix(c.BaseOperator(), "String") {
		return rule.TriUnknown
	}
	return c.Eval(iam.Request{Context: map[string][]string{c.Key: {sub}}})
}

// admitsServiceAccount decides whether the trust lets the service account
// namespace/name assume the role through IRSA. allowed describes what the
// Allow statements admit, for a failure message.
func (tp *trustPolicy) admitsServiceAccount(namespace, name string) (t rule.Tri, allowed []string) {
	sub := "system:serviceaccount:" + namespace + ":" + name
	allow, deny := rule.False, rule.False
	for _, st := range tp.pol.Statements {
		action := st.CoversAction(irsaAction)
		if !trustWebIdentity(st.Principal) || action == rule.False {
			continue
		}
		// Any key ending in ":sub" is the token's subject: the provider
		// is only checked to be an EKS one, not this cluster's.
		var subs []iam.Condition
		other := false
		for _, c := range st.Conditions {
			if strings.HasSuffix(strings.ToLower(c.Key), ":sub") {
				subs = append(subs, c)
			} else {
				other = true
			}
		}
		conds := []rule.Tri{action}
		for _, c := range subs {
			conds = append(conds, trustSubTest(c, sub))
		}
		applies := rule.And(conds...)
		if !st.EffectUnknown && st.Effect == iam.Allow {
			allow = rule.Or(allow, applies)
			allowed = append(allowed, trustSubjects(subs))
			continue
		}
		if other && applies == rule.True {
			// A Deny narrowed by conditions on keys other than the sub
			// claim may or may not apply.
			applies = rule.TriUnknown
		}
		deny = rule.Or(deny, applies)
	}
	return rule.And(allow, deny.Not()), allowed
}

// trustSubjects renders what a statement's sub conditions admit, for
// messages; ordered by operator so a message does not change between runs.
func trustSubjects(subs []iam.Condition) string {
	if len(subs) == 0 {
		return "any service account"
	}
	subs = append([]iam.Condition(nil), subs...)
	sort.SliceStable(subs, func(i, j int) bool { return subs[i].BaseOperator() < subs[j].BaseOperator() })
	parts := make([]string, 0, len(subs))
	for _, c := range subs {
		parts = append(parts, c.BaseOperator()+" "+strings.Join(c.Values.Values, ", "))
	}
	return strings.Join(parts, " and ")
}

// trustPolicyText returns a role's trust policy as JSON text. Policies
// usually arrive as a JSON string; a front-end may give the document as an
// object instead. ok is false when any part is known only after apply: the
// rule judges a trust only when all of it is known.
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
	for _, e := range v.Map.All() {
		if trustHasUnknown(e) {
			return true
		}
	}
	return false
}
