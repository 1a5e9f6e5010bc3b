package iam

import (
	"net/netip"
	"strings"

	"github.com/eksguard/eksguard/internal/tri"
)

// callerValue is what a caller condition key holds, which decides what
// part of a value names an owner.
type callerValue int

const (
	// valAccount: a 12-digit account id.
	valAccount callerValue = iota
	// valARN: an ARN, owned by the account in its account field (or, for
	// an ARN without one, an S3 bucket, by the name itself).
	valARN
	// valID: an id AWS assigns (organization, VPC, VPC endpoint).
	valID
	// valOrgPath: o-id/r-root/ou-.../, owned by the organization first.
	valOrgPath
	// valUserID: the unique id of the principal (AROA...:session).
	valUserID
	// valIP: an address, tested with IpAddress.
	valIP
)

// callerKey is a condition key that says who makes a request: the
// principal, its account or organization, the network it calls from, or
// the resource a service acts for.
type callerKey struct {
	val callerValue
	// always: the key is in every request context it applies to, so an
	// ...IfExists or ForAllValues test of it is still a test. The others
	// are absent from some requests (a principal in no organization, a
	// call not through a VPC endpoint, one no service makes for a
	// resource), and such a test holds for those.
	always bool
}

// callerKeys are the condition keys that can limit who may use a grant to
// everyone ("Principal": "*"). kms:ViaService, aws:PrincipalServiceName
// and aws:username are not among them: a service acting for any account,
// or a user name any account can give one of its users, admits callers of
// every account.
var callerKeys = map[string]callerKey{
	"aws:principalarn":      {valARN, true},
	"aws:principalaccount":  {valAccount, true},
	"aws:principalorgid":    {valID, false},
	"aws:principalorgpaths": {valOrgPath, false},
	"aws:userid":            {valUserID, true},
	"aws:sourcearn":         {valARN, false},
	"aws:sourceaccount":     {valAccount, false},
	"aws:sourceowner":       {valAccount, false},
	"aws:sourceorgid":       {valID, false},
	"aws:sourceorgpaths":    {valOrgPath, false},
	"aws:sourcevpce":        {valID, false},
	"aws:sourcevpc":         {valID, false},
	"aws:sourceip":          {valIP, false},
	"kms:calleraccount":     {valAccount, true},
}

// IsCallerKey reports whether a condition key says who makes a request
// (see LimitsCaller).
func IsCallerKey(key string) bool {
	_, ok := callerKeys[strings.ToLower(key)]
	return ok
}

// LimitsCaller tells whether a condition narrows a grant to everyone to
// fewer callers than every principal of every AWS account: true when it
// admits only callers the values name (fixed accounts, organizations,
// endpoints, networks, principals of named accounts, source resources),
// false when any outsider can meet it, unknown when its values are known
// only after apply. The patterns are judged, not the presence of the key:
//
//   - a value with a wildcard (StringLike, ArnLike and ArnEquals read * and
//     ?) limits only when the part that names an owner is fixed: the
//     account field of an ARN (for an ARN without one, an S3 bucket, the
//     bucket name), the organization at the head of an organization path,
//     the principal id before a session name. A wildcard in an account,
//     organization, VPC or endpoint id admits ids the code does not name,
//     which anyone can come by, as S3 counts it ("fixed values" in the
//     meaning of public). An ARN pattern that leaves out fields
//     (arn:aws:iam::*) is read the widest way, its last wildcard spanning
//     what is left out. StringEquals reads * as a character: it names no
//     principal, so it admits nobody;
//   - one value admitting everyone makes the whole test admit everyone
//     (the values are alternatives);
//   - negated operators (StringNotEquals, ArnNotLike, NotIpAddress...)
//     exclude the callers named and admit every other: they do not limit,
//     unless they exclude every caller of a key every request carries;
//   - ...IfExists and ForAllValues tests hold when the key is absent: on a
//     key some requests lack (aws:PrincipalOrgID, aws:SourceVpce,
//     aws:SourceIp, aws:SourceArn...), anyone can meet them;
//   - Null and Bool tests only ask whether the key is there;
//   - IpAddress limits unless a range is a whole address family (/0).
//
// A condition on another key returns false: it does not say who.
func (c Condition) LimitsCaller() tri.Tri {
	k, ok := callerKeys[strings.ToLower(c.Key)]
	if !ok {
		return tri.False
	}
	op := c.BaseOperator()
	lop := strings.ToLower(c.Operator)
	widened := strings.HasSuffix(lop, "ifexists") || strings.HasPrefix(lop, "forallvalues:")
	if widened && !k.always {
		return tri.False
	}
	var negated, wild bool
	switch op {
	case "StringEquals", "StringEqualsIgnoreCase":
	case "StringLike", "ArnLike", "ArnEquals":
		wild = true
	case "StringNotEquals", "StringNotEqualsIgnoreCase":
		negated = true
	case "StringNotLike", "ArnNotLike", "ArnNotEquals":
		negated, wild = true, true
	case "IpAddress":
		if k.val != valIP {
			return tri.Unknown
		}
	case "NotIpAddress":
		return tri.False
	case "Null", "Bool":
		return tri.False
	default:
		// Numeric, date or binary tests of who calls: not a form eksguard
		// reads.
		return tri.Unknown
	}
	if negated {
		// Excluding every value of a key every request carries admits
		// nobody; excluding some admits everyone else.
		if !wild || !k.always || widened {
			return tri.False
		}
		for _, v := range c.Values.Values {
			if onlyWildcards(literalVars(v)) && strings.Contains(v, "*") {
				return tri.True
			}
		}
		if c.Values.Unknown {
			return tri.Unknown
		}
		return tri.False
	}
	for _, v := range c.Values.Values {
		if admitsEveryone(k.val, op, wild, v) {
			return tri.False
		}
	}
	if c.Values.Unknown && (wild || op == "IpAddress") {
		// A value known only after apply may be a wildcard or a whole
		// address family; to StringEquals it is one fixed value.
		return tri.Unknown
	}
	return tri.True
}

// admitsEveryone tells whether one value of a positive test admits callers
// of any account.
func admitsEveryone(val callerValue, op string, wild bool, v string) bool {
	if op == "IpAddress" {
		p, err := netip.ParsePrefix(strings.TrimSpace(v))
		return err == nil && p.Bits() == 0
	}
	if !wild {
		return false
	}
	v = literalVars(v)
	if !strings.ContainsAny(v, "*?") {
		return false
	}
	switch val {
	case valARN:
		f := strings.SplitN(v, ":", 6)
		if len(f) < 6 {
			return true
		}
		if f[4] != "" {
			return strings.ContainsAny(f[4], "*?")
		}
		// No account field: an S3 bucket, named globally.
		name, _, _ := strings.Cut(f[5], "/")
		return strings.ContainsAny(f[2]+name, "*?")
	case valOrgPath:
		org, _, _ := strings.Cut(v, "/")
		return strings.ContainsAny(org, "*?")
	case valUserID:
		if id, _, ok := strings.Cut(v, ":"); ok {
			return id == "" || strings.ContainsAny(id, "*?")
		}
		return true
	}
	return true
}

// literalVars rewrites the policy variables of a condition value: ${*},
// ${?} and ${$} stand for the characters themselves (written here as
// characters that are not wildcards), and any other ${...} for a value of
// the request or resource, fixed for a caller.
func literalVars(v string) string { return replaceVars(v, "_") }

func onlyWildcards(v string) bool {
	return v != "" && strings.Trim(v, "*?") == ""
}

// PublicGrants returns the Allow statements of a resource policy that grant
// to everyone (Principal "*" or AWS "*") without a condition limiting who
// (Condition.LimitsCaller), and those that may (a principal or condition
// known only after apply).
func PublicGrants(p *Policy) (public, maybe []*Statement) {
	if p == nil {
		return nil, nil
	}
	for _, st := range p.Statements {
		if !st.EffectUnknown && st.Effect != Allow {
			continue
		}
		pub := tri.False
		switch {
		case st.Principal.Any:
			pub = tri.True
		case st.Principal.Unknown || st.Principal.ByKind.Get("AWS").MaybeAny():
			// An AWS principal known only after apply may be "*", unless
			// what it begins with is known (an ARN whose account is given
			// at deploy, the caller's ARN).
			pub = tri.Unknown
		}
		if pub == tri.False {
			continue
		}
		restricted := tri.False
		if st.ConditionUnknown {
			restricted = tri.Unknown
		}
		for _, c := range st.Conditions {
			restricted = tri.Or(restricted, c.LimitsCaller())
		}
		switch tri.And(pub, restricted.Not()) {
		case tri.True:
			if !st.EffectUnknown {
				public = append(public, st)
			} else {
				maybe = append(maybe, st)
			}
		case tri.Unknown:
			maybe = append(maybe, st)
		}
	}
	return public, maybe
}
