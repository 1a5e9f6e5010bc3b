package rule

import (
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/tri"
)

// Tri and the attribute readers live below the rule layer (package tri,
// graph.Value's readers) because the IAM engine, which rules call, answers
// in them too. They are re-exported here so a rule reads as one vocabulary:
// rule.True, rule.BoolOr, p.Report(t, ...).

// Tri is a three-valued truth: rules must never turn "cannot know" into
// "false".
type Tri = tri.Tri

const (
	False      = tri.False
	True       = tri.True
	TriUnknown = tri.Unknown
)

// Or is Kleene disjunction.
func Or(ts ...Tri) Tri { return tri.Or(ts...) }

// And is Kleene conjunction.
func And(ts ...Tri) Tri { return tri.And(ts...) }

// Of converts a Go bool.
func Of(b bool) Tri { return tri.Of(b) }

// BoolOr is v.BoolOr(def): absent or null takes def.
func BoolOr(v *graph.Value, def bool) Tri { return v.BoolOr(def) }

// StringOr is v.StringOr(def): ok is false when the value is unknown.
func StringOr(v *graph.Value, def string) (s string, ok bool) { return v.StringOr(def) }

// NumberOr is v.NumberOr(def): ok is false when unknown or not a number.
func NumberOr(v *graph.Value, def float64) (n float64, ok bool) { return v.NumberOr(def) }

// Strings is v.Strings(): unknown is true when the list or an element is.
func Strings(v *graph.Value) (out []string, unknown bool) { return v.Strings() }

// UnknownReason is v.UnknownReason(): why the first unknown in v is unknown.
func UnknownReason(v *graph.Value) string { return v.UnknownReason() }
