package render

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strconv"
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
	// Each rule's suite lists where its cases are; the cases themselves are
	// made one at a time as they are written, so a report of many thousand
	// findings is never held as XML nor as a slice of cases. The bytes are
	// those encoding/xml gives for the whole document (the tests compare).
	type ruleSuite struct {
		s     junitSuite
		cases []junitRef
	}
	suites := map[string]*ruleSuite{}
	add := func(fs []finding.Finding, unknown bool) {
		for i := range fs {
			f := &fs[i]
			rs := suites[f.RuleID]
			if rs == nil {
				rs = &ruleSuite{s: junitSuite{Name: f.RuleID + " " + f.Title}}
				suites[f.RuleID] = rs
			}
			rs.s.Tests++
			if unknown {
				rs.s.Skipped++
			} else {
				rs.s.Failures++
			}
			rs.cases = append(rs.cases, junitRef{f, unknown})
		}
	}
	add(r.Findings, false)
	add(r.Unknowns, true)
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
	for _, id := range ids {
		s := &suites[id].s
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Skipped += s.Skipped
	}
	extra := junitExtraSuites(r)
	for _, s := range extra {
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Skipped += s.Skipped
	}

	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.WriteString(xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(bw)
	enc.Indent("", "  ")
	docStart := xml.StartElement{Name: xml.Name{Local: "testsuites"}, Attr: []xml.Attr{attr("name", doc.Name),
		intAttr("tests", doc.Tests), intAttr("failures", doc.Failures), intAttr("errors", doc.Errors), intAttr("skipped", doc.Skipped)}}
	if err := enc.EncodeToken(docStart); err != nil {
		return err
	}
	for _, id := range ids {
		rs := suites[id]
		start := junitSuiteStart(&rs.s)
		if err := enc.EncodeToken(start); err != nil {
			return err
		}
		for _, ref := range rs.cases {
			c := junitCaseOf(ref.f, ref.unknown)
			if err := enc.EncodeElement(&c, junitCaseStart); err != nil {
				return err
			}
		}
		if err := enc.EncodeToken(start.End()); err != nil {
			return err
		}
	}
	for i := range extra {
		if err := enc.EncodeElement(&extra[i], junitSuiteElem); err != nil {
			return err
		}
	}
	if err := enc.EncodeToken(docStart.End()); err != nil {
		return err
	}
	if err := enc.Flush(); err != nil {
		return err
	}
	if _, err := bw.WriteString("\n"); err != nil {
		return err
	}
	return bw.Flush()
}

// junitRef is a finding to be written as a case.
type junitRef struct {
	f       *finding.Finding
	unknown bool
}

var (
	junitCaseStart = xml.StartElement{Name: xml.Name{Local: "testcase"}}
	junitSuiteElem = xml.StartElement{Name: xml.Name{Local: "testsuite"}}
)

func attr(name, value string) xml.Attr { return xml.Attr{Name: xml.Name{Local: name}, Value: value} }

func intAttr(name string, n int) xml.Attr { return attr(name, strconv.Itoa(n)) }

// junitSuiteStart is a suite's start tag, its attributes in the order
// junitSuite declares them.
func junitSuiteStart(s *junitSuite) xml.StartElement {
	return xml.StartElement{Name: xml.Name{Local: "testsuite"}, Attr: []xml.Attr{attr("name", s.Name),
		intAttr("tests", s.Tests), intAttr("failures", s.Failures), intAttr("errors", s.Errors), intAttr("skipped", s.Skipped)}}
}

// junitCaseOf is the case of a failed (a <failure> whose type is the
// severity) or unknown (<skipped>) verdict.
func junitCaseOf(f *finding.Finding, unknown bool) junitCase {
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
	if unknown {
		c.Skipped = &junitSkipped{Message: "unknown: " + msg}
		return c
	}
	var body strings.Builder
	fmt.Fprintf(&body, "%s [%s, CVSS %.1f]\n%s\n", f.Title, f.SeverityName, f.CVSS, f.Location())
	if f.Remediation != "" {
		fmt.Fprintf(&body, "remediation: %s\n", f.Remediation)
	}
	c.Failure = &junitFailure{Message: msg, Type: f.SeverityName, Body: body.String()}
	return c
}

// junitExtraSuites are the suites after the rules': module calls that
// were not read, then disabled rules.
func junitExtraSuites(r *report.Report) []junitSuite {
	var out []junitSuite
	// A call that was not read is a set of checks that did not run: a
	// skipped case is how JUnit viewers show that, without failing the
	// build the way a <failure> would (--fail-on-incomplete decides that).
	if n := len(r.Summary.Incomplete); n > 0 {
		s := junitSuite{Name: IncompleteID + " " + unreadNoun(r.Summary.Incomplete) + " not read"}
		for _, u := range r.Summary.Incomplete {
			s.Tests++
			s.Skipped++
			s.Cases = append(s.Cases, junitCase{Name: u.Call, Classname: IncompleteID, File: u.File, Line: u.Line,
				Skipped: &junitSkipped{Message: fmt.Sprintf("not read (%s): %s; its resources were not checked", u.Source, u.Reason)}})
		}
		out = append(out, s)
	}
	// A disabled rule is a check that did not run: skipped, with its
	// reason, so the waiver shows where test results are read.
	if named, notSel := disabledParts(r); len(named)+len(notSel) > 0 {
		s := junitSuite{Name: DisabledID}
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
		out = append(out, s)
	}
	return out
}
