// Package tfmark holds the cty marks the Terraform evaluator puts on
// values: Terraform's own sensitive mark, and the reason a value is
// unknown. Marks travel with a value through every operator and function
// call (cty and HCL carry them over), so a value computed from an unknown
// one still says why it is unknown.
package tfmark

import (
	"sort"

	"github.com/zclconf/go-cty/cty"
)

// Sensitive is Terraform's sensitive mark: sensitive(), a variable declared
// sensitive, and what is computed from them.
const Sensitive = sensitive("sensitive")

type sensitive string

// Why marks an unknown value with the reason eksguard cannot know it:
// "aws_iam_role.this.arn is known only after apply", "timestamp() is known
// only when Terraform runs", "module vpc is not downloaded".
type Why struct{ Reason string }

// Unknown is an unknown value of type t that says why it is unknown.
func Unknown(t cty.Type, reason string) cty.Value {
	return cty.UnknownVal(t).Mark(Why{Reason: reason})
}

// Reasons returns the reasons marked on v itself (not its elements), sorted
// so reports are stable.
func Reasons(v cty.Value) []string {
	var out []string
	for m := range v.Marks() {
		if w, ok := m.(Why); ok {
			out = append(out, w.Reason)
		}
	}
	sort.Strings(out)
	return out
}

// First is the first reason, in sorted order, marked on v or on any value
// inside it: why a collection holding an unknown cannot be read whole.
func First(v cty.Value) string {
	_, pvm := v.UnmarkDeepWithPaths()
	first := ""
	for _, pm := range pvm {
		for m := range pm.Marks {
			if w, ok := m.(Why); ok && (first == "" || w.Reason < first) {
				first = w.Reason
			}
		}
	}
	return first
}

// IsSensitive reports whether v itself carries the sensitive mark.
func IsSensitive(v cty.Value) bool { return v.HasMark(Sensitive) }
