package iam

import (
	"strconv"
	"strings"
	"time"

	"github.com/eksguard/eksguard/internal/glob"
	"github.com/eksguard/eksguard/internal/tri"
)

// Request is one API call to judge: an action on a resource, with the
// request context eksguard can know statically (iam:PassedToService for a
// role passed to a service it names, for instance).
type Request struct {
	// Action is "service:Name".
	Action string
	// Resource is the ARN acted on. AnyResource asks whether the call is
	// allowed on at least one resource (creating a new access key for some
	// user, attaching to some role); Resource is then ignored.
	Resource    string
	AnyResource bool
	// Context holds condition keys whose values are known for this
	// request. Keys are matched case-insensitively, as IAM does.
	Context map[string][]string
	// Now is the evaluation time for date conditions (aws:CurrentTime).
	Now time.Time
}

// Decision is the outcome of evaluating a request against a principal's
// policies.
type Decision struct {
	// Allowed is True when the request is certainly allowed, False when
	// certainly not, unknown when it hinges on what code cannot show.
	Allowed tri.Tri
	// Allows are the statements that allow it (or may), Denies those
	// that deny it (or may); the file:line of each is what a finding cites.
	Allows []*Statement
	Denies []*Statement
	// BoundaryLimits is set when a permissions boundary does not (or may
	// not) allow the request.
	BoundaryLimits tri.Tri
}

// PolicySet is what applies to one principal: its identity-based policies
// (inline, managed, through groups) and its permissions boundary.
type PolicySet struct {
	Identity []*Policy
	// Boundary is nil without a permissions boundary. A boundary that is
	// set but not knowable is a policy with Unknown.
	Boundary *Policy
}

// ForAction returns the policy set reduced to the statements whose
// Action (or NotAction) may match action: evaluating a request for that
// action against it decides exactly as against ps, and costs only those
// statements. Callers asking about one action on many resources reduce
// once. Unreadable policies are kept whole; a boundary stays a boundary
// even with no statement left (then it allows nothing).
func (ps PolicySet) ForAction(action string) PolicySet {
	reduce := func(p *Policy) *Policy {
		if p == nil || p.Unknown {
			return p
		}
		var keep []*Statement
		for _, st := range p.Statements {
			if st.matchAction(action) != tri.False {
				keep = append(keep, st)
			}
		}
		if len(keep) == len(p.Statements) {
			return p
		}
		q := *p
		q.Statements = keep
		return &q
	}
	out := PolicySet{Boundary: reduce(ps.Boundary)}
	for _, p := range ps.Identity {
		if q := reduce(p); q.Unknown || len(q.Statements) > 0 {
			out.Identity = append(out.Identity, q)
		}
	}
	return out
}

// Evaluate applies AWS's policy evaluation logic for a principal acting in
// its own account: an explicit Deny in any policy (boundary included) wins;
// otherwise an Allow in an identity policy is needed, and when a
// permissions boundary is set it must allow too. Resource-based policies,
// SCPs and session policies are not part of the scanned principal's own
// code and are not applied.
func Evaluate(ps PolicySet, req Request) Decision {
	var d Decision
	deny := tri.False
	allow := tri.False
	for _, p := range ps.Identity {
		a, dn := evalPolicy(p, req, &d)
		allow = tri.Or(allow, a)
		deny = tri.Or(deny, dn)
	}
	bound := tri.True
	if ps.Boundary != nil {
		var bd Decision
		a, dn := evalPolicy(ps.Boundary, req, &bd)
		bound = a
		deny = tri.Or(deny, dn)
		d.Denies = append(d.Denies, bd.Denies...)
		d.BoundaryLimits = bound.Not()
	}
	d.Allowed = tri.And(allow, bound, deny.Not())
	return d
}

// evalPolicy returns whether p allows and whether it denies req.
func evalPolicy(p *Policy, req Request, d *Decision) (allow, deny tri.Tri) {
	allow, deny = tri.False, tri.False
	if p == nil {
		return
	}
	if p.Unknown {
		// A document we cannot read may allow or deny anything.
		return tri.Unknown, tri.Unknown
	}
	for _, st := range p.Statements {
		m := st.Matches(req)
		if m == tri.False {
			continue
		}
		switch {
		case st.EffectUnknown:
			allow, deny = tri.Or(allow, tri.Unknown), tri.Or(deny, tri.Unknown)
			d.Allows = append(d.Allows, st)
		case st.Effect == Deny:
			deny = tri.Or(deny, m)
			d.Denies = append(d.Denies, st)
		default:
			allow = tri.Or(allow, m)
			d.Allows = append(d.Allows, st)
		}
	}
	return
}

// Matches tells whether the statement applies to the request: its action,
// its resource and every condition. For an Allow, "any resource" matches
// when the statement names some resource; for a Deny it matches only when
// the statement covers every resource, since the question is whether some
// resource stays allowed.
func (st *Statement) Matches(req Request) tri.Tri {
	a := st.matchAction(req.Action)
	if a == tri.False {
		return a
	}
	r := st.matchResource(req)
	if r == tri.False {
		return r
	}
	return tri.And(a, r, st.matchConditions(req))
}

func (st *Statement) matchAction(action string) tri.Tri {
	switch {
	case st.Action.Present():
		return matchAny(st.Action, action, true, nil)
	case st.NotAction.Present():
		return matchAny(st.NotAction, action, true, nil).Not()
	}
	return tri.False
}

func (st *Statement) matchResource(req Request) tri.Tri {
	if req.AnyResource {
		cover := func(s Strings) tri.Tri {
			for _, v := range s.Values {
				if v == "*" {
					return tri.True
				}
			}
			if s.Unknown {
				return tri.Unknown
			}
			return tri.False
		}
		switch {
		case st.Resource.Present():
			if !st.EffectUnknown && st.Effect == Deny {
				return cover(st.Resource)
			}
			if len(st.Resource.Values) > 0 {
				return tri.True
			}
			return tri.Unknown
		case st.NotResource.Present():
			// NotResource leaves every resource it does not name; only
			// NotResource "*" leaves none.
			if !st.EffectUnknown && st.Effect == Deny {
				return tri.False
			}
			return cover(st.NotResource).Not()
		}
		// Trust policies have no Resource: the role itself.
		return tri.True
	}
	switch {
	case st.Resource.Present():
		return matchAny(st.Resource, req.Resource, false, req.Context)
	case st.NotResource.Present():
		return matchAny(st.NotResource, req.Resource, false, req.Context).Not()
	}
	return tri.True
}

// matchAny matches s against the patterns of a policy element. A pattern
// with a policy variable (${aws:username}) matches only maybe: what it
// stands for is decided per request. So does an ARN whose account the code
// does not state (written ${Account}) against a pattern naming an account.
func matchAny(p Strings, s string, fold bool, ctx map[string][]string) tri.Tri {
	if ctx != nil {
		p = substitute(p, ctx)
	}
	out := tri.False
	if strings.Contains(s, "${Account}") {
		for _, pat := range p.Values {
			switch {
			case AccountOf(pat) == "${Account}":
				// The pattern was written with the same unstated account
				// (aws_iam_role.x.arn in a policy of the same code): both
				// name the account the code is deployed to.
				const same = "000000000000"
				rest := strings.ReplaceAll(pat, "${Account}", same)
				if glob.Match(rest, strings.ReplaceAll(s, "${Account}", same), fold) && !strings.Contains(rest, "${") {
					return tri.True
				}
				if glob.Match(varsToStar(rest), strings.ReplaceAll(s, "${Account}", same), fold) {
					out = tri.Unknown
				}
			case glob.Match(pat, strings.ReplaceAll(s, "${Account}", "*"), fold) && !strings.Contains(pat, "${"):
				// The pattern admits any account here.
				if glob.Match(pat, strings.ReplaceAll(s, "${Account}", "000000000000"), fold) &&
					glob.Match(pat, strings.ReplaceAll(s, "${Account}", "999999999999"), fold) {
					return tri.True
				}
				out = tri.Unknown
			case glob.Match(varsToStar(pat), strings.ReplaceAll(s, "${Account}", "000000000000"), fold) ||
				(mayNameAccount(pat) && glob.Match(WithAnyAccount(pat), s, fold)):
				out = tri.Unknown
			}
		}
		if p.Unknown {
			return tri.Unknown
		}
		return out
	}
	for _, pat := range p.Values {
		if strings.Contains(pat, "${") {
			if glob.Match(varsToStar(pat), s, fold) {
				out = tri.Unknown
			}
			continue
		}
		if glob.Match(pat, s, fold) {
			return tri.True
		}
	}
	if p.Unknown {
		return tri.Unknown
	}
	return out
}

// mayNameAccount reports whether an ARN pattern's account field could be
// the unstated account of the scanned code: an account id, a wildcard or a
// variable. "aws" (AWS managed policies) or an empty field never is.
func mayNameAccount(pat string) bool {
	if splitARN(pat) == nil {
		return false
	}
	a := AccountOf(pat)
	return strings.ContainsAny(a, "*?$") || IsAccountID(a)
}

// substitute replaces policy variables whose value the request context
// holds (${aws:username} for a user acting). A variable the context names
// with no value (a role has no aws:username) makes the pattern match
// nothing, as AWS treats a variable missing from the request.
func substitute(p Strings, ctx map[string][]string) Strings {
	changed := false
	vals := make([]string, 0, len(p.Values))
	for _, pat := range p.Values {
		if !strings.Contains(pat, "${") {
			vals = append(vals, pat)
			continue
		}
		out, ok, drop := pat, true, false
		for ok {
			i := strings.Index(out, "${")
			if i < 0 {
				break
			}
			j := strings.IndexByte(out[i:], '}')
			if j < 0 {
				break
			}
			key := out[i+2 : i+j]
			v, known := lookupContext(ctx, key)
			switch {
			case !known:
				ok = false
			case len(v) == 0:
				ok, drop = false, true
			default:
				out = out[:i] + v[0] + out[i+j+1:]
			}
		}
		switch {
		case drop:
			changed = true
		case ok:
			vals = append(vals, out)
			changed = true
		default:
			vals = append(vals, pat)
		}
	}
	if !changed {
		return p
	}
	return Strings{Values: vals, Unknown: p.Unknown, Range: p.Range}
}

func varsToStar(p string) string { return VarsAsWildcards(p) }

// VarsAsWildcards writes each policy variable of a pattern
// (${aws:username}) as *, the widest it could stand for.
func VarsAsWildcards(p string) string { return replaceVars(p, "*") }

// replaceVars writes each policy variable (${...}) of p as with.
func replaceVars(p, with string) string {
	if !strings.Contains(p, "${") {
		return p
	}
	var b strings.Builder
	for {
		i := strings.Index(p, "${")
		if i < 0 {
			b.WriteString(p)
			return b.String()
		}
		j := strings.IndexByte(p[i:], '}')
		if j < 0 {
			b.WriteString(p)
			return b.String()
		}
		b.WriteString(p[:i])
		b.WriteString(with)
		p = p[i+j+1:]
	}
}

func (st *Statement) matchConditions(req Request) tri.Tri {
	if st.ConditionUnknown {
		return tri.Unknown
	}
	out := tri.True
	for _, c := range st.Conditions {
		out = tri.And(out, c.Eval(req))
		if out == tri.False {
			return out
		}
	}
	return out
}

// Eval decides one condition for a request: true or false when the
// request context holds the key (or the condition can never hold),
// unknown otherwise.
func (c Condition) Eval(req Request) tri.Tri {
	op := c.BaseOperator()
	if c.Values.Unknown && len(c.Values.Values) == 0 {
		return tri.Unknown
	}
	// A date test against a moment already past never holds again.
	if t := c.neverAgain(op, req.Now); t != tri.Unknown || isDateKey(c.Key) {
		return t
	}
	vals, known := lookupContext(req.Context, c.Key)
	if !known {
		if (strings.HasPrefix(op, "String") || strings.HasPrefix(op, "Arn")) && !strings.HasPrefix(op, "StringNot") &&
			!strings.HasPrefix(op, "ArnNot") && len(c.Values.Values) == 0 && !c.Values.Unknown {
			// Equality with nothing: no value can satisfy it.
			return tri.False
		}
		return tri.Unknown
	}
	var match func(pat, v string) bool
	negate := false
	switch op {
	case "StringEquals", "ArnEquals":
		match = func(p, v string) bool { return p == v }
	case "StringEqualsIgnoreCase":
		match = strings.EqualFold
	case "StringLike", "ArnLike":
		match = func(p, v string) bool { return glob.Match(p, v, false) }
	case "StringNotEquals", "ArnNotEquals":
		match, negate = func(p, v string) bool { return p == v }, true
	case "StringNotEqualsIgnoreCase":
		match, negate = strings.EqualFold, true
	case "StringNotLike", "ArnNotLike":
		match, negate = func(p, v string) bool { return glob.Match(p, v, false) }, true
	case "Bool":
		match = strings.EqualFold
	default:
		return tri.Unknown
	}
	any := false
	for _, v := range vals {
		for _, p := range c.Values.Values {
			if match(p, v) {
				any = true
			}
		}
	}
	if any {
		return tri.Of(!negate)
	}
	if c.Values.Unknown {
		return tri.Unknown
	}
	return tri.Of(negate)
}

// maxTokenAge is the longest temporary credentials live (GetSessionToken
// and GetFederationToken: 36 hours); a token in use was issued no earlier.
const maxTokenAge = 36 * time.Hour

func isDateKey(k string) bool {
	return strings.EqualFold(k, "aws:CurrentTime") || strings.EqualFold(k, "aws:TokenIssueTime")
}

// neverAgain decides a date condition that no request from now on can
// meet: aws:CurrentTime before, or equal to, a moment already past, and
// aws:TokenIssueTime before a moment older than any live token. Unknown
// otherwise, and always without a clock.
func (c Condition) neverAgain(op string, now time.Time) tri.Tri {
	if !isDateKey(c.Key) || now.IsZero() || c.Values.Unknown || len(c.Values.Values) == 0 {
		return tri.Unknown
	}
	// The condition holds for any value when one of them satisfies it: it
	// never holds only when every value lies too far back.
	earliest := now
	if strings.EqualFold(c.Key, "aws:TokenIssueTime") {
		if strings.HasSuffix(c.Operator, "IfExists") {
			// Long-term access keys carry no token: the test passes.
			return tri.Unknown
		}
		earliest = now.Add(-maxTokenAge)
	}
	switch op {
	case "DateLessThan", "DateLessThanEquals", "DateEquals":
	default:
		return tri.Unknown
	}
	for _, v := range c.Values.Values {
		t, ok := parseIAMDate(v)
		if !ok || !t.Before(earliest) {
			return tri.Unknown
		}
	}
	return tri.False
}

// parseIAMDate reads a date condition value: ISO 8601 (as RFC 3339, or a
// bare date) or epoch seconds.
func parseIAMDate(v string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04Z07:00", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 {
		return time.Unix(n, 0), true
	}
	return time.Time{}, false
}

func lookupContext(ctx map[string][]string, key string) ([]string, bool) {
	if v, ok := ctx[key]; ok {
		return v, true
	}
	for k, v := range ctx {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}
