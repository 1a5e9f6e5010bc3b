// Package diag holds positioned diagnostics: problems with an input that
// stop part of a scan but never the whole of it.
package diag

import (
	"fmt"
	"strings"
)

// Severity of a diagnostic. Errors make the scan exit 2; warnings and notices
// are informational.
type Severity int

const (
	Error Severity = iota
	Warning
	Notice
)

func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	default:
		return "notice"
	}
}

// MarshalText writes the severity by name in JSON reports.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity name back.
func (s *Severity) UnmarshalText(b []byte) error {
	for _, c := range []Severity{Error, Warning, Notice} {
		if c.String() == string(b) {
			*s = c
			return nil
		}
	}
	return fmt.Errorf("unknown diagnostic severity %q", b)
}

// Diagnostic names the file and position of a problem, like hcl.Diagnostic.
type Diagnostic struct {
	Severity Severity `json:"severity"`
	File     string   `json:"file"`
	Line     int      `json:"line,omitempty"`
	Column   int      `json:"column,omitempty"`
	Summary  string   `json:"summary"`
	Detail   string   `json:"detail,omitempty"`
	// Unread is set when the problem left part of the input unread, so
	// its resources were not checked: the scan is incomplete.
	Unread *Unread `json:"unread,omitempty"`
}

// Unread names a part of the input eksguard could not read. It began as
// a Terraform module call (its source is not downloaded, cannot be
// fetched, or is not a literal) and keeps that call's field names, which
// the JSON report carries, for every kind: a CloudFormation AWS::Include
// snippet, a macro, or a SAM feature that is not expanded.
type Unread struct {
	// Call is where the unread part is used: a module address
	// (module.eks.module.kms), or for CloudFormation the template path and
	// the logical location in it
	// (stack.yaml#Resources.Queue.Properties.Fn::Transform).
	Call string `json:"call"`
	// Source is what would fill it: a module's source argument as
	// written, an include's S3 Location, a macro's name, or the SAM type
	// and property not expanded.
	Source string `json:"source"`
	// Reason says why it was not read.
	Reason string `json:"reason"`
}

// Incomplete returns the diagnostics that left part of the input unread.
func (l List) Incomplete() List {
	var out List
	for _, d := range l {
		if d.Unread != nil {
			out = append(out, d)
		}
	}
	return out
}

func (d Diagnostic) Error() string { return d.String() }

func (d Diagnostic) String() string {
	pos := d.File
	if d.Line > 0 {
		pos = fmt.Sprintf("%s:%d", pos, d.Line)
		if d.Column > 0 {
			pos = fmt.Sprintf("%s:%d", pos, d.Column)
		}
	}
	s := fmt.Sprintf("%s: %s: %s", pos, d.Severity, d.Summary)
	if d.Detail != "" {
		s += ": " + d.Detail
	}
	return s
}

// List is a slice of diagnostics with helpers.
type List []Diagnostic

// HasErrors reports whether any diagnostic is an error.
func (l List) HasErrors() bool {
	for _, d := range l {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// NotRoot follows the directory's name in the summary of the notice for
// a Terraform directory that is only ever used as a module and that no
// scanned root module calls, so it was not read at all.
const NotRoot = " is not scanned as a root module: "

// NotRootDir returns the directory such a notice is about.
func NotRootDir(d Diagnostic) (string, bool) {
	dir, _, ok := strings.Cut(d.Summary, NotRoot)
	return dir, ok && d.Severity == Notice
}

// PlanBeside ends the summary of the notice for a Terraform directory that
// holds both .tf files and plan JSON: the plan is checked, and the .tf
// files only place its findings at their lines.
const PlanBeside = ", not the .tf files beside it"

// NotInPlan ends the summary of the notice naming the resources the .tf
// files of a plan's configuration declare but the plan does not have, so
// that no rule checks them.
const NotInPlan = " not in the plan, so not checked"

// PlanBesideDir returns the directory a PlanBeside notice is about.
func PlanBesideDir(d Diagnostic) (string, bool) {
	return d.File, d.Severity == Notice && strings.HasSuffix(d.Summary, PlanBeside)
}

// IsNotInPlan reports whether d is a NotInPlan notice.
func IsNotInPlan(d Diagnostic) bool {
	return d.Severity == Notice && strings.HasSuffix(d.Summary, NotInPlan)
}
