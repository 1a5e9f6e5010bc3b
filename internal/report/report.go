// Package report writes a scan's results. Writers read only the Report
// value (findings, counts, diagnostics, the gate decision), never the graph
// or rules, so every output tells the same story.
package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/eksguard/eksguard/internal/baseline"
	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/finding"
	"github.com/eksguard/eksguard/internal/gate"
	"github.com/eksguard/eksguard/internal/suppress"
)

// SchemaVersion is the version of the JSON report schema (docs/json-report.md).
const SchemaVersion = "1.0"

// Input is one file that was read.
type Input struct {
	Path string `json:"path"`
	Kind string `json:"kind"`
}

// Summary counts.
type Summary struct {
	Files     int `json:"files"`
	Resources int `json:"resources"`
	Rules     int `json:"rules"`
	Failed    int `json:"failed"`
	Unknown   int `json:"unknown"`
	Passed    int `json:"passed"`
	// Suppressed and Baselined count findings kept out of Failed.
	Suppressed int            `json:"suppressed"`
	Baselined  int            `json:"baselined"`
	BySev      map[string]int `json:"failed_by_severity"`
}

// Report is everything one scan produced.
type Report struct {
	SchemaVersion string            `json:"schema_version"`
	Tool          Tool              `json:"tool"`
	AsOf          string            `json:"as_of"`
	Inputs        []Input           `json:"inputs"`
	Findings      []finding.Finding `json:"findings"`
	Unknowns      []finding.Finding `json:"unknowns"`
	Errors        []diag.Diagnostic `json:"errors"`
	Notices       []diag.Diagnostic `json:"notices"`
	Summary       Summary           `json:"summary"`
	Gate          gate.Decision     `json:"gate"`
	// Suppressed are findings covered by a recorded exception; Suppressions
	// lists every exception with its status (used, unused, expired).
	Suppressed   []finding.Finding      `json:"suppressed"`
	Suppressions []suppress.Suppression `json:"suppressions"`
	// Baselined are findings already in the baseline given; Fixed the
	// baseline's findings no longer found.
	Baselined []finding.Finding `json:"baselined,omitempty"`
	Fixed     []baseline.Entry  `json:"fixed,omitempty"`
}

// Tool identifies the producer.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Writer renders a report.
type Writer func(w io.Writer, r *Report, opts Options) error

// Options tune rendering.
type Options struct {
	Color bool
}

// Writers by format name. Each format's file registers its writer in an
// init function, so adding one touches no shared list.
var Writers = map[string]Writer{
	"text": WriteText,
	"json": WriteJSON,
}

// Formats lists the format names in a stable order for help text.
func Formats() []string {
	out := make([]string, 0, len(Writers))
	for n := range Writers {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Get returns the writer of a format.
func Get(name string) (Writer, error) {
	w, ok := Writers[strings.ToLower(name)]
	if !ok {
		return nil, fmt.Errorf("unknown format %q (want one of: %s)", name, strings.Join(Formats(), ", "))
	}
	return w, nil
}

type (
	findingT = finding.Finding
	diagT    = diag.Diagnostic
)
