package render

import (
	"encoding/json"
	"io"

	"github.com/eksguard/eksguard/internal/report"
)

// WriteJSON writes the report as indented JSON (schema: docs/json-report.md).
// Slices are never null so consumers can iterate without checks.
func WriteJSON(w io.Writer, r *report.Report, _ Options) error {
	c := *r
	if c.Findings == nil {
		c.Findings = []findingT{}
	}
	if c.Unknowns == nil {
		c.Unknowns = []findingT{}
	}
	if c.Errors == nil {
		c.Errors = []diagT{}
	}
	if c.Notices == nil {
		c.Notices = []diagT{}
	}
	if c.Summary.Incomplete == nil {
		c.Summary.Incomplete = []report.UnreadCall{}
	}
	if c.Inputs == nil {
		c.Inputs = []report.Input{}
	}
	if c.DisabledRules == nil {
		c.DisabledRules = []report.DisabledRule{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(&c)
}
