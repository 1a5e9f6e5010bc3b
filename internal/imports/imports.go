// Package imports reads the reports of other scanners — SARIF 2.1.0, Trivy,
// Grype, OWASP dependency-check and kube-bench JSON — into records the scan
// turns into findings, so the gate judges them like eksguard's own (SPEC
// §5; the DevSecOps settings page, "CVSS scores"). Like the other
// front-ends it knows nothing of rules or findings: a Record is plain data.
//
// Severity: a CVSS v3 score, when the report gives one, is mapped to its
// band with severity.FromScore; otherwise the report's severity name is
// (critical, high, medium, low; moderate is medium; negligible is low;
// unknown is medium: reported, and not blocking at the default threshold,
// but not dismissed as low). An imported finding is never below low.
// kube-bench: a FAIL of a scored CIS check is high (the benchmark counts
// it), a FAIL of a non-scored check medium, a WARN (a check to do by hand)
// low; PASS and INFO are not findings.
package imports

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/severity"
)

// Formats, as Detect returns them.
const (
	SARIF           = "sarif"
	Trivy           = "trivy"
	Grype           = "grype"
	DependencyCheck = "dependency-check"
	KubeBench       = "kube-bench"
)

// Detect tells from a JSON document's content which report it is, or "".
func Detect(root *graph.Value) string {
	if root == nil {
		return ""
	}
	if root.Kind == graph.List {
		if len(root.List) > 0 && isKubeBenchControl(root.List[0]) {
			return KubeBench
		}
		return ""
	}
	if root.Kind != graph.Map {
		return ""
	}
	m := root.Map
	switch {
	case m.Get("runs") != nil && (m.Get("version") != nil || strings.Contains(str(m.Get("$schema")), "sarif")):
		return SARIF
	case m.Get("Results") != nil && (m.Get("SchemaVersion") != nil || m.Get("ArtifactName") != nil):
		return Trivy
	case m.Get("matches") != nil && (m.Get("descriptor") != nil || m.Get("source") != nil):
		return Grype
	case m.Get("dependencies") != nil && (m.Get("reportSchema") != nil || m.Get("scanInfo") != nil):
		return DependencyCheck
	case m.Get("Controls") != nil && (m.Get("Totals") != nil || isKubeBenchControl(first(m.Get("Controls")))):
		return KubeBench
	}
	return ""
}

func isKubeBenchControl(v *graph.Value) bool {
	return v != nil && v.Kind == graph.Map && v.Map.Get("tests") != nil && v.Map.Get("id") != nil && v.Map.Get("text") != nil
}

func first(v *graph.Value) *graph.Value {
	if v != nil && v.Kind == graph.List && len(v.List) > 0 {
		return v.List[0]
	}
	return nil
}

// Record is one failed check or vulnerability of an imported report, as
// the report gives it.
type Record struct {
	// RuleID is the scanner's id qualified by its origin:
	// trivy:CVE-2023-5363, sarif:checkov:CKV_AWS_39.
	RuleID string
	// ID is the scanner's own id, which its URLs describe.
	ID       string
	Title    string
	Severity severity.Level
	// CVSS is the report's score, else the representative score of the
	// severity band.
	CVSS         float64
	Resource     string
	ResourceType string
	// File and Line are where the report places the issue; File is the
	// report itself when it names no file.
	File    string
	Line    int
	EndLine int
	// Report is the report file the record was read from.
	Report      string
	Message     string
	Remediation string
	// URLs point at the scanner's description of the issue.
	URLs []string
	// Origin is the scanner: trivy, grype, dependency-check, kube-bench,
	// or sarif:TOOL.
	Origin string
	// Fingerprint hashes origin, id, resource and file: not lines or
	// messages, so a re-run of the scanner gives the same value.
	Fingerprint string
}

// Read turns a report Detect recognised into records. Structural problems
// (a field of the wrong type, an entry without an id) are positioned error
// diagnostics; the rest of the report is still read.
func Read(root *graph.Value, file string) ([]Record, diag.List) {
	r := &reader{file: file}
	switch Detect(root) {
	case SARIF:
		r.sarif(root)
	case Trivy:
		r.trivy(root)
	case Grype:
		r.grype(root)
	case DependencyCheck:
		r.depCheck(root)
	case KubeBench:
		r.kubeBench(root)
	default:
		r.errorf(root, "not a report eksguard imports", "expected SARIF 2.1.0, Trivy, Grype, OWASP dependency-check or kube-bench JSON")
	}
	sort.SliceStable(r.out, func(i, j int) bool {
		a, b := r.out[i], r.out[j]
		if a.RuleID != b.RuleID {
			return a.RuleID < b.RuleID
		}
		if a.Resource != b.Resource {
			return a.Resource < b.Resource
		}
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	return r.out, r.diags
}

type reader struct {
	file  string
	out   []Record
	diags diag.List
}

func (r *reader) errorf(at *graph.Value, summary, detail string, args ...any) {
	d := diag.Diagnostic{Severity: diag.Error, File: r.file, Summary: summary, Detail: fmt.Sprintf(detail, args...)}
	if at != nil && at.Range.Line > 0 {
		d.Line, d.Column = int(at.Range.Line), int(at.Range.Column)
	}
	r.diags = append(r.diags, d)
}

// list returns v's elements; a present value that is not a list is
// reported.
func (r *reader) list(parent *graph.Value, key string) []*graph.Value {
	v := parent.Get(key)
	if v.IsNull() {
		return nil
	}
	if v.Kind != graph.List {
		r.errorf(v, "malformed report", "%s is a %s, want a list", key, v.Kind)
		return nil
	}
	return v.List
}

// object checks that an entry is a JSON object.
func (r *reader) object(v *graph.Value, what string) bool {
	if v == nil || v.Kind != graph.Map {
		kind := "null"
		if v != nil {
			kind = v.Kind.String()
		}
		r.errorf(v, "malformed report", "%s is a %s, want an object", what, kind)
		return false
	}
	return true
}

// item is what a format reader hands to add.
type item struct {
	origin, id, title, message, remediation string
	resource, resourceType                  string
	file                                    string
	line, endLine                           int
	score                                   float64 // CVSS score, 0 when none
	sevName                                 string  // textual severity when no score
	sev                                     severity.Level
	at                                      *graph.Value
	urls                                    []string
}

func (r *reader) add(it item) {
	if it.id == "" {
		r.errorf(it.at, "malformed report", "%s entry without an id", it.origin)
		return
	}
	sev := it.sev
	if sev == severity.None {
		if it.score > 0 {
			sev = severity.FromScore(it.score)
		} else {
			s, ok := SeverityFromName(it.sevName)
			if !ok {
				r.errorf(it.at, "unknown severity", "%s %s: severity %q is not one of critical, high, medium, low, negligible, unknown", it.origin, it.id, it.sevName)
				return
			}
			sev = s
		}
	}
	if sev < severity.Low {
		sev = severity.Low
	}
	score := it.score
	if score == 0 {
		score = sev.Score()
	}
	file := it.file
	if file == "" {
		file = r.file
	}
	res := it.resource
	if res == "" {
		res = file
	}
	title := it.title
	if title == "" {
		title = it.id
	}
	msg := it.message
	if msg == "" {
		msg = title
	}
	var urls []string
	for _, u := range it.urls {
		if u != "" {
			urls = append(urls, u)
		}
	}
	id := it.origin + ":" + it.id
	if strings.HasPrefix(it.origin, "sarif:") {
		id = "sarif:" + strings.TrimPrefix(it.origin, "sarif:") + ":" + it.id
	}
	r.out = append(r.out, Record{
		RuleID:       id,
		ID:           it.id,
		Title:        title,
		Severity:     sev,
		CVSS:         score,
		Resource:     res,
		ResourceType: it.resourceType,
		File:         file,
		Line:         it.line,
		EndLine:      it.endLine,
		Report:       r.file,
		Message:      msg,
		Remediation:  it.remediation,
		URLs:         urls,
		Origin:       it.origin,
		Fingerprint:  fingerprint(it.origin, it.id, res, file),
	})
}

// fingerprint hashes origin, id, resource and file: not lines or messages,
// so a re-run of the scanner gives the same value.
func fingerprint(parts ...string) string {
	h := sha256.New()
	for _, s := range parts {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// SeverityFromName maps a scanner's severity name to a band.
func SeverityFromName(s string) (severity.Level, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "critical":
		return severity.Critical, true
	case "high", "important":
		return severity.High, true
	case "medium", "moderate", "unknown", "":
		return severity.Medium, true
	case "low", "negligible", "info", "informational":
		return severity.Low, true
	}
	return severity.None, false
}

// Small accessors over graph values.

func str(v *graph.Value) string {
	if v == nil {
		return ""
	}
	switch v.Kind {
	case graph.String:
		return v.Str
	case graph.Number:
		return strconv.FormatFloat(v.Num(), 'f', -1, 64)
	case graph.Bool:
		return strconv.FormatBool(v.Bool)
	}
	return ""
}

func num(v *graph.Value) float64 {
	if v == nil {
		return 0
	}
	var f float64
	switch v.Kind {
	case graph.Number:
		f = v.Num()
	case graph.String:
		var err error
		if f, err = strconv.ParseFloat(strings.TrimSpace(v.Str), 64); err != nil {
			return 0
		}
	}
	// "NaN", "Inf" and 1e400 read as numbers, but no score or line is
	// infinite, and a finding holding one cannot be written as JSON.
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return f
}
