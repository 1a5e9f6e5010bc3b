package rule

import (
	"strings"

	"github.com/eksguard/eksguard/internal/graph"
)

// Tri is a three-valued truth: rules must never turn "cannot know" into
// "false".
type Tri int8

const (
	False Tri = iota
	True
	TriUnknown
)

func (t Tri) String() string {
	switch t {
	case True:
		return "true"
	case False:
		return "false"
	}
	return "unknown"
}

// Not negates, keeping unknown.
func (t Tri) Not() Tri {
	switch t {
	case True:
		return False
	case False:
		return True
	}
	return TriUnknown
}

// Or is Kleene disjunction.
func Or(ts ...Tri) Tri {
	out := False
	for _, t := range ts {
		if t == True {
			return True
		}
		if t == TriUnknown {
			out = TriUnknown
		}
	}
	return out
}

// And is Kleene conjunction.
func And(ts ...Tri) Tri {
	out := True
	for _, t := range ts {
		if t == False {
			return False
		}
		if t == TriUnknown {
			out = TriUnknown
		}
	}
	return out
}

// BoolOr reads a boolean attribute; absent or null takes def (the provider's
// default). Strings "true"/"false" are accepted because CloudFormation and
// some providers write booleans as strings, and so are YAML 1.1's
// yes/no/on/off/y/n, which kubectl still reads as booleans.
func BoolOr(v *graph.Value, def bool) Tri {
	switch {
	case v.IsUnknown():
		return TriUnknown
	case v.IsNull():
		return triOf(def)
	case v.Kind == graph.Bool:
		return triOf(v.Bool)
	case v.Kind == graph.String:
		switch strings.ToLower(v.Str) {
		case "true", "yes", "y", "on":
			return True
		case "false", "no", "n", "off":
			return False
		}
	}
	return TriUnknown
}

func triOf(b bool) Tri {
	if b {
		return True
	}
	return False
}

// Of converts a Go bool.
func Of(b bool) Tri { return triOf(b) }

// StringOr reads a string attribute; ok is false when the value is unknown.
// Absent or null takes def.
func StringOr(v *graph.Value, def string) (s string, ok bool) {
	switch {
	case v.IsUnknown():
		return "", false
	case v.IsNull():
		return def, true
	case v.Kind == graph.String:
		return v.Str, true
	case v.Kind == graph.Number || v.Kind == graph.Bool:
		return strings.Trim(v.String(), `"`), true
	}
	return "", false
}

// NumberOr reads a number attribute (numeric strings accepted); ok is false
// when unknown or not a number. Absent or null takes def.
func NumberOr(v *graph.Value, def float64) (n float64, ok bool) {
	switch {
	case v.IsUnknown():
		return 0, false
	case v.IsNull():
		return def, true
	case v.Kind == graph.Number:
		return v.Num, true
	case v.Kind == graph.String:
		var f float64
		var seen bool
		for _, c := range v.Str {
			if c < '0' || c > '9' {
				return 0, false
			}
			f = f*10 + float64(c-'0')
			seen = true
		}
		return f, seen
	}
	return 0, false
}

// Strings reads a list of strings. unknown is true when the list itself or
// any element is unknown; the known elements are still returned.
func Strings(v *graph.Value) (out []string, unknown bool) {
	if v.IsUnknown() {
		return nil, true
	}
	for _, e := range v.Items() {
		switch {
		case e.IsUnknown():
			unknown = true
		case e.Kind == graph.String:
			out = append(out, e.Str)
		}
	}
	return out, unknown
}
