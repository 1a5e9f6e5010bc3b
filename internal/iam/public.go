package iam

import (
	"strings"

	"github.com/eksguard/eksguard/internal/rule"
)

// restrictingKeys are condition keys that limit who can use a grant made to
// everyone ("Principal": "*"): to an organisation, an account, a VPC or
// endpoint, a source resource or network. kms:ViaService alone is not one:
// it admits any caller of the named service.
var restrictingKeys = []string{"aws:sourcevpce", "aws:sourcevpc", "aws:principalorgid", "aws:principalorgpaths",
	"aws:principalaccount", "aws:principalarn", "aws:sourcearn", "aws:sourceaccount", "aws:sourceorgid",
	"aws:sourceorgpaths", "aws:sourceip", "aws:userid", "aws:username", "kms:calleraccount", "aws:principalservicename"}

// PublicGrants returns the Allow statements of a resource policy that grant
// to everyone (Principal "*" or AWS "*") without a condition restricting
// who, and those that may (a principal or condition known only after
// apply). Negated operators (StringNotEquals...) do not restrict.
func PublicGrants(p *Policy) (public, maybe []*Statement) {
	if p == nil {
		return nil, nil
	}
	for _, st := range p.Statements {
		if !st.EffectUnknown && st.Effect != Allow {
			continue
		}
		pub := rule.False
		switch {
		case st.Principal.Any:
			pub = rule.True
		case st.Principal.Unknown || st.Principal.ByKind["AWS"].Unknown:
			pub = rule.TriUnknown
		}
		if pub == rule.False {
			continue
		}
		restricted := rule.False
		if st.ConditionUnknown {
			restricted = rule.TriUnknown
		}
		for _, c := range st.Conditions {
			op := strings.ToLower(c.BaseOperator())
			if strings.Contains(op, "not") || op == "null" || op == "bool" {
				continue
			}
			for _, k := range restrictingKeys {
				if strings.EqualFold(c.Key, k) {
					if c.Values.Unknown && len(c.Values.Values) == 0 {
						restricted = rule.Or(restricted, rule.TriUnknown)
					} else {
						restricted = rule.True
					}
				}
			}
		}
		switch rule.And(pub, rule.Or(restricted, rule.False).Not()) {
		case rule.True:
			if !st.EffectUnknown {
				public = append(public, st)
			} else {
				maybe = append(maybe, st)
			}
		case rule.TriUnknown:
			maybe = append(maybe, st)
		}
	}
	return public, maybe
}
