package report

import (
	"encoding/json"
	"io"
)

// WriteJSON writes the report as indented JSON (schema: docs/json-report.md).
// Slices are never null so consumers can iterate without checks.
func WriteJSON(w io.Writer, r *Report, _ Options) error {
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
		c.Summary.Incomplete = []UnreadCall{}
	}
	if c.Inputs == nil {
		c.Inputs = []Input{}
	}
	if c.DisabledRules == nil {
		c.DisabledRules = []DisabledRule{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(&c)
}
