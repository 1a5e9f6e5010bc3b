package render

import (
	"io"

	"github.com/eksguard/eksguard/internal/report"
)

// WriteJSON writes the report as indented JSON (schema: docs/json-report.md).
// Slices are never null so consumers can iterate without checks (but for
// suppressed and suppressions, null when empty, as the schema has always
// had them).
//
// The report is written member by member and finding by finding, so a
// report of many thousand findings is never held in memory as text; the
// bytes are those encoding/json's indenting encoder gives for the Report
// value (the tests compare the two).
func WriteJSON(w io.Writer, r *report.Report, _ Options) error {
	s := newJSONStream(w)
	const d = 1
	s.raw("{")
	s.field("schema_version", r.SchemaVersion, d, true)
	s.field("tool", &r.Tool, d, false)
	s.field("as_of", r.AsOf, d, false)
	sliceField(s, "inputs", orEmpty(r.Inputs), d)
	sliceField(s, "findings", orEmpty(r.Findings), d)
	sliceField(s, "unknowns", orEmpty(r.Unknowns), d)
	sliceField(s, "errors", orEmpty(r.Errors), d)
	sliceField(s, "notices", orEmpty(r.Notices), d)
	sum := r.Summary
	sum.Incomplete = orEmpty(sum.Incomplete)
	s.field("summary", &sum, d, false)
	s.field("gate", &r.Gate, d, false)
	sliceField(s, "suppressed", r.Suppressed, d)
	sliceField(s, "suppressions", r.Suppressions, d)
	// omitempty members.
	if len(r.Baselined) > 0 {
		sliceField(s, "baselined", r.Baselined, d)
	}
	if len(r.Fixed) > 0 {
		sliceField(s, "fixed", r.Fixed, d)
	}
	if len(r.IAMPaths) > 0 {
		sliceField(s, "iam_paths", r.IAMPaths, d)
	}
	if len(r.RuleVerdicts) > 0 {
		s.field("rule_verdicts", r.RuleVerdicts, d, false)
	}
	sliceField(s, "disabled_rules", orEmpty(r.DisabledRules), d)
	s.raw("\n}\n")
	return s.finish()
}

// orEmpty is xs, or an empty slice for nil so it is written as [].
func orEmpty[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

// sliceField writes a member holding a slice (never the first member),
// one element at a time; nil is null as encoding/json writes it.
func sliceField[T any](s *jsonStream, name string, xs []T, depth int) {
	s.key(name, depth, false)
	if xs == nil {
		s.raw("null")
		return
	}
	s.array(len(xs), depth, func(i int) { s.value(&xs[i], depth+1) })
}
