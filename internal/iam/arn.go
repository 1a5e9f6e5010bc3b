package iam

import (
	"strings"

	"github.com/eksguard/eksguard/internal/graph"
)

// UnknownPart stands for the parts of an ARN the code does not state (the
// region, an id AWS assigns, the suffix of a name_prefix): only patterns
// with a wildcard there match it, and it is never itself a wildcard.
const UnknownPart = "eksguard-unknown"

// FromPartial reads a value known but for its account and generated parts
// (graph.Value.Partial) as the model writes such ARNs: the account as
// ${Account}, the rest as UnknownPart.
func FromPartial(p string) string {
	return strings.ReplaceAll(p, graph.GeneratedPlaceholder, UnknownPart)
}

// ARNOf is an ARN attribute as the model and the rules read it: the
// string, or the partial ARN of a derived value (FromPartial); known is
// false when it is not known at all. Absent or null is "" and known.
func ARNOf(v *graph.Value) (arn string, known bool) {
	switch {
	case v.IsNull():
		return "", true
	case v.Kind == graph.String:
		return v.Str, true
	case v.Kind == graph.Unknown && v.Partial() != "":
		return FromPartial(v.Partial()), true
	}
	return "", false
}

// arnOf is ARNOf's ARN, "" when it is not known.
func arnOf(v *graph.Value) string {
	a, _ := ARNOf(v)
	return a
}

// splitARN splits arn:partition:service:region:account:resource into its
// six fields (the resource may hold colons itself); nil when it is not one.
func splitARN(arn string) []string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 {
		return nil
	}
	return parts
}

// AccountOf returns the account field of an ARN ("" when it is not one).
func AccountOf(arn string) string {
	if p := splitARN(arn); p != nil {
		return p[4]
	}
	return ""
}

// WithAnyAccount widens the account field of an ARN (pattern) to "*", to
// ask whether it could name something whose account is not stated.
func WithAnyAccount(arn string) string {
	p := splitARN(arn)
	if p == nil {
		return arn
	}
	p[4] = "*"
	return strings.Join(p, ":")
}

// IsAccountID reports whether s is a 12-digit AWS account id.
func IsAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// IsRootARN reports whether s names an account root: arn:aws:iam::123:root.
func IsRootARN(s string) bool {
	p := splitARN(s)
	return p != nil && p[2] == "iam" && p[5] == "root"
}
