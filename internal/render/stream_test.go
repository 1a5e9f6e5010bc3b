package render

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/report"
)

// The JSON, SARIF and JUnit writers stream: they write the envelope by
// hand and the elements one at a time. These tests hold them to the bytes
// the whole-document encoders (encoding/json's indenting Encoder,
// encoding/xml's Encoder) give for the same value, on reports filled at
// random in every field, so a field added to a type is covered too.

// wholeJSON is what WriteJSON wrote before it streamed.
func wholeJSON(r *report.Report) ([]byte, error) {
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
	return encodeIndented(&c)
}

func encodeIndented(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	err := enc.Encode(v)
	return buf.Bytes(), err
}

// SARIF's whole log, as WriteSARIF marshalled it before it streamed.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool               sarifTool                   `json:"tool"`
		OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds,omitempty"`
		Results            []sarifResult               `json:"results"`
		Invocations        []sarifInvocation           `json:"invocations"`
		ColumnKind         string                      `json:"columnKind"`
	}
)

func wholeSARIF(r *report.Report) ([]byte, error) {
	l := newSARIFLog(r)
	results := make([]sarifResult, 0, l.len())
	for i := range l.len() {
		results = append(results, l.result(i))
	}
	return encodeIndented(&sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{{
		Tool: sarifTool{Driver: l.driver}, OriginalURIBaseIDs: l.baseIDs, Results: results,
		Invocations: []sarifInvocation{l.invocation}, ColumnKind: sarifColumnKind}}})
}

// wholeJUnit builds the whole document, as WriteJUnit did before it
// streamed, and encodes it at once.
func wholeJUnit(r *report.Report) ([]byte, error) {
	suites := map[string]*junitSuite{}
	var ids []string
	add := func(fs []findingT, unknown bool) {
		for i := range fs {
			f := &fs[i]
			s := suites[f.RuleID]
			if s == nil {
				s = &junitSuite{Name: f.RuleID + " " + f.Title}
				suites[f.RuleID] = s
				ids = append(ids, f.RuleID)
			}
			s.Tests++
			if unknown {
				s.Skipped++
			} else {
				s.Failures++
			}
			s.Cases = append(s.Cases, junitCaseOf(f, unknown))
		}
	}
	add(r.Findings, false)
	add(r.Unknowns, true)
	sortStrings(ids)
	name := r.Tool.Name
	if name == "" {
		name = "eksguard"
	}
	doc := junitSuites{Name: name}
	var order []junitSuite
	for _, id := range ids {
		order = append(order, *suites[id])
	}
	order = append(order, junitExtraSuites(r)...)
	for _, s := range order {
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Skipped += s.Skipped
		doc.Suites = append(doc.Suites, s)
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(&doc); err != nil {
		return nil, err
	}
	buf.WriteString("\n")
	return buf.Bytes(), nil
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// filler sets every exported field a JSON or XML encoder would write to a
// random value: strings with what needs escaping (quotes, control
// characters, <>&, U+2028, invalid UTF-8), numbers at the float
// formatting cut-offs, slices and maps nil, empty or full, pointers nil or
// set.
type filler struct{ rng *rand.Rand }

var fillStrings = []string{
	"", "a", "K8S-010", "spec.template.spec.containers.0", "Deployment team-0001/svc-3",
	"quote \" and backslash \\", "line\nbreak\tand\rreturn", "\x00\x01\x1f\b\f", "<html> & </html>",
	"u2028 \u2028 u2029 \u2029", "bad \xff utf8 \xc3", "é ü 漢字 🙂", "{\"json\": [1, 2]}", "a,b:c{d}[e]",
	"https://example.com/a?b=c&d=<e>", "%SRCROOT%", "trailing space ",
}

var fillFloats = []float64{0, 1, 7.5, 10, -3.25, 1e-7, 1e-6, 123456789, 1e20, 1e21, 2.5e-9, 0.1}

func (f filler) fill(v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(fillStrings[f.rng.IntN(len(fillStrings))])
	case reflect.Bool:
		v.SetBool(f.rng.IntN(2) == 0)
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Int16, reflect.Int8:
		if v.Type().PkgPath() != "" {
			// A named integer (a severity) is an enumeration: keep it in range.
			v.SetInt(int64(f.rng.IntN(3)))
			return
		}
		v.SetInt([]int64{0, 1, 42, 1 << 20, -1}[f.rng.IntN(5)])
	case reflect.Float64, reflect.Float32:
		v.SetFloat(fillFloats[f.rng.IntN(len(fillFloats))])
	case reflect.Pointer:
		if depth > 6 || f.rng.IntN(3) == 0 {
			return
		}
		p := reflect.New(v.Type().Elem())
		f.fill(p.Elem(), depth+1)
		v.Set(p)
	case reflect.Slice:
		switch n := f.rng.IntN(5); {
		case depth > 6 || n == 0:
		case n == 1:
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
		default:
			s := reflect.MakeSlice(v.Type(), n-1, n-1)
			for i := range n - 1 {
				f.fill(s.Index(i), depth+1)
			}
			v.Set(s)
		}
	case reflect.Map:
		switch n := f.rng.IntN(4); {
		case depth > 6 || n == 0:
		default:
			m := reflect.MakeMap(v.Type())
			for range n - 1 {
				k := reflect.New(v.Type().Key()).Elem()
				f.fill(k, depth+1)
				e := reflect.New(v.Type().Elem()).Elem()
				f.fill(e, depth+1)
				m.SetMapIndex(k, e)
			}
			v.Set(m)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			sf := t.Field(i)
			if !sf.IsExported() || sf.Tag.Get("json") == "-" && sf.Tag.Get("xml") == "" {
				continue
			}
			if sf.Type.Kind() == reflect.Struct && sf.Type.PkgPath() == "time" {
				continue
			}
			f.fill(v.Field(i), depth+1)
		}
	case reflect.Interface:
		if f.rng.IntN(2) == 0 {
			v.Set(reflect.ValueOf(fillStrings[f.rng.IntN(len(fillStrings))]))
		}
	}
}

func randomReport(seed uint64) *report.Report {
	f := filler{rand.New(rand.NewPCG(seed, 21))}
	r := &report.Report{}
	f.fill(reflect.ValueOf(r).Elem(), 0)
	// The SARIF writer reads BaselineUsed, which JSON leaves out.
	r.BaselineUsed = f.rng.IntN(2) == 0
	return r
}

// Every field of the report, and of the types below it, must be set by
// some of the random reports, or a field added later could be missed.
func TestRandomReportsFillEveryField(t *testing.T) {
	seen := map[string]bool{}
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem(), path)
			}
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i), path+"[]")
			}
		case reflect.Struct:
			for i := range v.NumField() {
				sf := v.Type().Field(i)
				if !sf.IsExported() || sf.Tag.Get("json") == "-" {
					continue
				}
				p := path + "." + sf.Name
				if !v.Field(i).IsZero() {
					seen[p] = true
				} else if _, ok := seen[p]; !ok {
					seen[p] = false
				}
				walk(v.Field(i), p)
			}
		}
	}
	for seed := range uint64(200) {
		walk(reflect.ValueOf(randomReport(seed)), "Report")
	}
	for p, ok := range seen {
		if !ok {
			t.Errorf("no random report sets %s", p)
		}
	}
	if len(seen) < 60 {
		t.Errorf("only %d fields seen; the filler does not reach the report's types", len(seen))
	}
}

func compareStreamed(t *testing.T, name string, r *report.Report, write Writer, whole func(*report.Report) ([]byte, error)) {
	t.Helper()
	want, werr := whole(r)
	var got bytes.Buffer
	gerr := write(&got, r, Options{})
	if (werr != nil) != (gerr != nil) {
		t.Fatalf("%s: streamed error %v, whole error %v", name, gerr, werr)
	}
	if werr != nil {
		return
	}
	if !bytes.Equal(got.Bytes(), want) {
		g, w := got.String(), string(want)
		i := 0
		for i < len(g) && i < len(w) && g[i] == w[i] {
			i++
		}
		lo := max(i-200, 0)
		t.Fatalf("%s: streamed output differs at byte %d of %d (want %d):\n--- streamed\n%s\n--- whole\n%s", name, i, len(g), len(w),
			g[lo:min(i+200, len(g))], w[lo:min(i+200, len(w))])
	}
}

func TestStreamedWritersMatchWholeEncoders(t *testing.T) {
	cases := map[string]*report.Report{"empty": {}, "sample": sampleReport()}
	for seed := range uint64(300) {
		cases[fmt.Sprintf("random %d", seed)] = randomReport(seed)
	}
	for name, r := range cases {
		compareStreamed(t, name+" json", r, WriteJSON, wholeJSON)
		compareStreamed(t, name+" sarif", r, WriteSARIF, wholeSARIF)
		compareStreamed(t, name+" junit", r, WriteJUnit, wholeJUnit)
	}
}

// appendIndented must indent as encoding/json's Indent does, at any depth.
func TestAppendIndented(t *testing.T) {
	for seed := range uint64(200) {
		r := randomReport(seed)
		for _, v := range []any{r, r.Findings, r.Summary, r.Gate, map[string]any{}, []int{}, "x", 1.5, nil} {
			compact, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			for depth := range 3 {
				prefix := strings.Repeat("  ", depth)
				var want bytes.Buffer
				if err := json.Indent(&want, compact, prefix, "  "); err != nil {
					t.Fatal(err)
				}
				if got := appendIndented(nil, compact, depth); !bytes.Equal(got, want.Bytes()) {
					t.Fatalf("seed %d depth %d:\n got %s\nwant %s", seed, depth, got, want.Bytes())
				}
			}
		}
	}
}

// FuzzAppendIndented: on any valid JSON, compacted as encoding/json
// writes it, the indenter gives what json.Indent gives.
func FuzzAppendIndented(f *testing.F) {
	for _, s := range []string{`{"a":[1,{"b":"x\\"},[]],"c":{}}`, `"q\"uote"`, `[{"k":"a,b:c{d}[e]"}]`, `null`, `{"\\\"":""}`} {
		f.Add([]byte(s), 1)
	}
	f.Fuzz(func(t *testing.T, data []byte, depth int) {
		if !json.Valid(data) || depth < 0 || depth > 8 {
			return
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, data); err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := json.Indent(&want, compact.Bytes(), strings.Repeat("  ", depth), "  "); err != nil {
			t.Fatal(err)
		}
		if got := appendIndented(nil, compact.Bytes(), depth); !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("depth %d of %q:\n got %q\nwant %q", depth, compact.Bytes(), got, want.Bytes())
		}
	})
}

// failWriter fails once n bytes have been written.
type failWriter struct{ n int }

func (w *failWriter) Write(b []byte) (int, error) {
	if len(b) > w.n {
		k := w.n
		w.n = 0
		return k, io.ErrShortWrite
	}
	w.n -= len(b)
	return len(b), nil
}

// A writer that fails midway reports it, whichever byte it fails at.
func TestStreamedWritersReportWriteErrors(t *testing.T) {
	r := randomReport(7)
	for name, w := range map[string]Writer{"json": WriteJSON, "sarif": WriteSARIF, "junit": WriteJUnit} {
		var full bytes.Buffer
		if err := w(&full, r, Options{}); err != nil {
			t.Fatal(err)
		}
		for _, n := range []int{0, 1, full.Len() / 2, full.Len() - 1} {
			if err := w(&failWriter{n}, r, Options{}); err == nil {
				t.Errorf("%s: a writer failing after %d of %d bytes gave no error", name, n, full.Len())
			}
		}
	}
}

// benchReport is a report the size of the 5,000-Deployment scan's: 10,000
// findings on workloads, with the fields that scan fills.
func benchReport() *report.Report {
	r := sampleReport()
	base := r.Findings[0]
	r.Findings = make([]findingT, 0, 10000)
	for i := range 10000 {
		f := base
		f.RuleID = fmt.Sprintf("K8S-%03d", 10+i%15)
		f.Resource = fmt.Sprintf("Deployment/team-%04d/svc-%d", i/50, i%50)
		f.ResourceType = "k8s:Deployment"
		f.Path = "spec.template.spec.containers.0.securityContext.privileged"
		f.File = "/tmp/k8s5000.yaml"
		f.Line = 100 + i*75
		f.IntroducedBy = []string{f.Resource, "spec", "template", "spec", "containers", "0", "securityContext", "privileged"}
		f.Message = fmt.Sprintf("Deployment svc-%d, container \"app\": runs privileged: it has every capability and the host's devices", i%50)
		r.Findings = append(r.Findings, f)
	}
	return r
}

func benchWriter(b *testing.B, w Writer) {
	r := benchReport()
	b.ReportAllocs()
	for b.Loop() {
		if err := w(io.Discard, r, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteJSON and its siblings time the streamed writers on a
// report of 10,000 findings; the Whole variants time the whole-document
// encoders they replaced (what the writers did before), for comparison.
func BenchmarkWriteJSON(b *testing.B)  { benchWriter(b, WriteJSON) }
func BenchmarkWriteSARIF(b *testing.B) { benchWriter(b, WriteSARIF) }
func BenchmarkWriteJUnit(b *testing.B) { benchWriter(b, WriteJUnit) }

func wholeWriter(whole func(*report.Report) ([]byte, error)) Writer {
	return func(w io.Writer, r *report.Report, _ Options) error {
		b, err := whole(r)
		if err == nil {
			_, err = w.Write(b)
		}
		return err
	}
}

func BenchmarkWriteJSONWhole(b *testing.B)  { benchWriter(b, wholeWriter(wholeJSON)) }
func BenchmarkWriteSARIFWhole(b *testing.B) { benchWriter(b, wholeWriter(wholeSARIF)) }
func BenchmarkWriteJUnitWhole(b *testing.B) { benchWriter(b, wholeWriter(wholeJUnit)) }
