package graph

import (
	"sort"
	"strings"

	"github.com/eksguard/eksguard/internal/tri"
)

// The readers below turn attribute values into what checks compare,
// keeping "unknown" distinct from every answer. They live with Value so
// that the rules and the IAM engine, which both read attributes, share one
// reading.

// BoolOr reads a boolean attribute; absent or null takes def (the provider's
// default). Strings "true"/"false" are accepted because CloudFormation and
// some providers write booleans as strings, and so are YAML 1.1's
// yes/no/on/off/y/n, which kubectl still reads as booleans.
func (v *Value) BoolOr(def bool) tri.Tri {
	switch {
	case v.IsUnknown():
		return tri.Unknown
	case v.IsNull():
		return tri.Of(def)
	case v.Kind == Bool:
		return tri.Of(v.Bool)
	case v.Kind == String:
		switch strings.ToLower(v.Str) {
		case "true", "yes", "y", "on":
			return tri.True
		case "false", "no", "n", "off":
			return tri.False
		}
	}
	return tri.Unknown
}

// StringOr reads a string attribute; ok is false when the value is unknown.
// Absent or null takes def.
func (v *Value) StringOr(def string) (s string, ok bool) {
	switch {
	case v.IsUnknown():
		return "", false
	case v.IsNull():
		return def, true
	case v.Kind == String:
		return v.Str, true
	case v.Kind == Number || v.Kind == Bool:
		return strings.Trim(v.String(), `"`), true
	}
	return "", false
}

// NumberOr reads a number attribute (numeric strings accepted); ok is false
// when unknown or not a number. Absent or null takes def.
func (v *Value) NumberOr(def float64) (n float64, ok bool) {
	switch {
	case v.IsUnknown():
		return 0, false
	case v.IsNull():
		return def, true
	case v.Kind == Number:
		return v.Num(), true
	case v.Kind == String:
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
func (v *Value) Strings() (out []string, unknown bool) {
	if v.IsUnknown() {
		return nil, true
	}
	for _, e := range v.Items() {
		switch {
		case e.IsUnknown():
			unknown = true
		case e.Kind == String:
			out = append(out, e.Str)
		}
	}
	return out, unknown
}

// UnknownReason is why the first unknown found in v (v itself, else the
// first below it in key order) is unknown, as the front-end said; "" when
// it did not say or nothing in v is unknown. A finding names it so the
// user knows what to give (--account-id, terraform init) or what is truly
// known only after apply.
func (v *Value) UnknownReason() string {
	budget := 10000
	var walk func(v *Value, depth int) string
	walk = func(v *Value, depth int) string {
		budget--
		if v == nil || depth > 64 || budget < 0 {
			return ""
		}
		if v.Kind == Unknown && (v.Reason() != "" || v.Doc() == nil) {
			return v.Reason()
		}
		if v.Doc() != nil {
			if why := walk(v.Doc(), depth+1); why != "" {
				return why
			}
		}
		for _, e := range v.List {
			if why := walk(e, depth+1); why != "" {
				return why
			}
		}
		keys := make([]string, 0, v.Map.Len())
		for k := range v.Map.All() {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if why := walk(v.Map.Get(k), depth+1); why != "" {
				return why
			}
		}
		return ""
	}
	return walk(v, 0)
}
