package imports

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/testutil/fuzzing"

	"github.com/eksguard/eksguard/internal/jsonpos"
	"github.com/eksguard/eksguard/internal/severity"
)

// FuzzRead: arbitrary JSON as a scanner report, seeded with a report of
// each format so the mutations stay near each reader. No panic; reading
// ends within bounds; every diagnostic names the report and a line of it;
// every record has an id of its format, a severity band, and writes as
// JSON (the report formats must not fail on it); the files and resources
// it names are the report's or, when the report has no escapes, its text.
func FuzzRead(f *testing.F) {
	reports, _ := filepath.Glob("testdata/*.json")
	for _, p := range reports {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x","rules":[{"id":"r","properties":{"security-severity":"NaN"}}]}},"results":[{"ruleId":"r","level":"error","locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.tf"},"region":{"startLine":-5,"endLine":1e300}}}]}]}]}`,
		`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"ruleId":"r","properties":{"security-severity":"Inf"}}]}]}`,
		`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"ruleId":"r","properties":{"security-severity":1e400}}]}]}`,
		`{"SchemaVersion":2,"Results":[{"Target":"t","Misconfigurations":[{"AVDID":"A","Severity":"HIGH","Status":"FAIL","CauseMetadata":{"StartLine":"9e99"}}],"Vulnerabilities":[{"VulnerabilityID":"CVE-1","Severity":"LOW","CVSS":{"nvd":{"V3Score":"+Inf"}}}]}]}`,
		`{"matches":[{"vulnerability":{"id":"CVE-1","severity":"High","cvss":[{"metrics":{"baseScore":-1}}]},"artifact":{"name":"a","locations":[{"path":"\u0000"}]}}]}`,
		`{"reportSchema":"1.1","dependencies":[{"fileName":"x","vulnerabilities":[{"name":"CVE-1","severity":"weird","cvssv3":{"baseScore":"nan"}}]}]}`,
		`{"Controls":[{"id":"1","tests":[{"section":"1.1","results":[{"test_number":"1.1.1","status":"FAIL","scored":true}]}]}]}`,
		`{"version":"2.1.0","runs":[` + strings.Repeat(`{"tool":{"driver":{"name":"x"}},"results":[{"ruleId":"r","level":"note"}]},`, 500) + `{}]}`,
		"\ufeff" + `{"version":"2.1.0","runs":null}`,
		`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"ruleId":"` + strings.Repeat("r", 64<<10) + `"}]}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		const file = "report.json"
		root, err := jsonpos.Parse(data, file)
		if err != nil {
			return
		}
		defer fuzzing.Watchdog("Read", len(data))()
		format := Detect(root)
		fs, diags := Read(root, file)
		lines := bytes.Count(data, []byte{'\n'}) + 1
		for _, d := range diags {
			if d.File != file || d.Line < 0 || d.Line > lines {
				t.Fatalf("diagnostic not in the input (%d lines): %s", lines, d)
			}
		}
		if format == "" && len(fs) > 0 {
			t.Fatalf("%d records from what is no report", len(fs))
		}
		escapes := bytes.IndexByte(data, '\\') >= 0
		for _, fd := range fs {
			if !strings.HasPrefix(fd.RuleID, format+":") && !(format == SARIF && strings.HasPrefix(fd.RuleID, "sarif:")) {
				t.Fatalf("record %q of a %s report", fd.RuleID, format)
			}
			if fd.Severity < severity.Low || fd.Severity > severity.Critical {
				t.Fatalf("%s: severity %d out of the bands", fd.RuleID, fd.Severity)
			}
			if _, err := json.Marshal(fd); err != nil {
				t.Fatalf("%s does not write as JSON: %v", fd.RuleID, err)
			}
			if fd.File == "" || fd.Report != file {
				t.Fatalf("%s: file %q, read from %q", fd.RuleID, fd.File, fd.Report)
			}
			if !escapes {
				for _, s := range []string{fd.File} {
					if s != file && !bytes.Contains(data, []byte(s)) {
						t.Fatalf("%s names %q, which is not in the report", fd.RuleID, s)
					}
				}
			}
		}
	})
}
