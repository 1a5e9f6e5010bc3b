package render

import (
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/eksguard/eksguard/internal/finding"
	"github.com/eksguard/eksguard/internal/report"
)

func init() { Writers["junit"] = WriteJUnit }

type (
	junitSuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Name     string       `xml:"name,attr"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Errors   int          `xml:"errors,attr"`
		Skipped  int          `xml:"skipped,attr"`
		Suites   []junitSuite `xml:"testsuite"`
	}
	junitSuite struct {
		Name     string      `xml:"name,attr"`
		Tests    int         `xml:"tests,attr"`
		Failures int         `xml:"failures,attr"`
		Errors   int         `xml:"errors,attr"`
		Skipped  int         `xml:"skipped,attr"`
		Cases    []junitCase `xml:"testcase"`
	}
	junitCase struct {
		Name      string        `xml:"name,attr"`
		Classname string        `xml:"classname,attr"`
		File      string        `xml:"file,attr,omitempty"`
		Line      int           `xml:"line,attr,omitempty"`
		Failure   *junitFailure `xml:"failure"`
		Skipped   *junitSkipped `xml:"skipped"`
	}
	junitFailure struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Body    string `xml:",chardata"`
	}
	junitSkipped struct {
		Message string `xml:"message,attr"`
	}
)

// WriteJUnit writes JUnit XML: one testsuite per rule (sorted by id), one
// testcase per rule × resource verdict that failed (a <failure> whose type
// is the severity) or was unknown (<skipped>). Passed verdicts are counted
// in the report summary only, so they do not appear as test cases. Module
// calls that were not read come last, in a suite named eksguard/incomplete,
// one <skipped> case per call.
func WriteJUnit(w io.Writer, r *report.Report, _ Options) error {
	suites := map[string]*junitSuite{}
	add := func(f finding.Finding, unknown bool) {
		s := suites[f.RuleID]
		if s == nil {
			s = &junitSuite{Name: f.RuleID + " " + f.Title}
			suites[f.RuleID] = s
		}
		c := junitCase{Name: f.Resource, Classname: f.RuleID, File: f.File, Line: f.Line}
		if c.Name == "" {
			c.Name = f.Location()
		}
		if f.Path != "" {
			c.Name += " " + f.Path
		}
		msg := f.Message
		if msg == "" {
			msg = f.Title
		}
		s.Tests++
		if unknown {
			s.Skipped++
			c.Skipped = &junitSkipped{Message: "unknown: " + msg}
		} else {
			s.Failures++
			var body strings.Builder
			fmt.Fprintf(&body, "%s [%s, CVSS %.1f]\n%s\n", f.Title, f.SeverityName, f.CVSS, f.Location())
			if f.Remediation != "" {
				fmt.Fprintf(&body, "remediation: %s\n", f.Remediation)
			}
			c.Failure = &junitFailure{Message: msg, Type: f.SeverityName, Body: body.String()}
		}
		s.Cases = append(s.Cases, c)
	}
	for _, f := range r.Findings {
		add(f, false)
	}
	for _, f := range r.Unknowns {
		add(f, true)
	}
	ids := make([]string, 0, len(suites))
	for id := range suites {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	name := r.Tool.Name
	if name == "" {
		name = "eksguard"
	}
	doc := junitSuites{Name: name}
	var order []*junitSuite
	for _, id := range ids {
		order = append(order, suites[id])
	}
	// A call that was not read is a set of checks that did not run: a
	// skipped case is how JUnit viewers show that, without failing the
	// build the way a <failure> would (--fail-on-incomplete decides that).
	if n := len(r.Summary.Incomplete); n > 0 {
		s := &junitSuite{Name: IncompleteID + " " + unreadNoun(r.Summary.Incomplete) + " not read"}
		for _, u := range r.Summary.Incomplete {
			s.Tests++
			s.Skipped++
			s.Cases = append(s.Cases, junitCase{Name: u.Call, Classname: IncompleteID, File: u.File, Line: u.Line,
				Skipped: &junitSkipped{Message: fmt.Sprintf("not read (%s): %s; its resources were not checked", u.Source, u.Reason)}})
		}
		order = append(order, s)
	}
	// A disabled rule is a check that did not run: skipped, with its
	// reason, so the waiver shows where test results are read.
	if named, notSel := disabledParts(r); len(named)+len(notSel) > 0 {
		s := &junitSuite{Name: DisabledID}
		for _, d := range named {
			s.Tests++
			s.Skipped++
			s.Cases = append(s.Cases, junitCase{Name: d.RuleID, Classname: DisabledID, Skipped: &junitSkipped{Message: disabledLine(d)}})
		}
		if len(notSel) > 0 {
			s.Tests++
			s.Skipped++
			s.Cases = append(s.Cases, junitCase{Name: "not selected", Classname: DisabledID, Skipped: &junitSkipped{Message: notSelectedLine(notSel)}})
		}
		order = append(order, s)
	}
	for _, s := range order {
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Skipped += s.Skipped
		doc.Suites = append(doc.Suites, *s)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(&doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
