package cli

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/render"
	"github.com/eksguard/eksguard/internal/report"
)

// TestExitCodeTable is the README's exit status table, row by row.
func TestExitCodeTable(t *testing.T) {
	clean := writeFiles(t, map[string]string{"ns.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: quiet\n"})
	missing := filepath.Join(t.TempDir(), "missing.yaml")
	badConfig := filepath.Join(t.TempDir(), "eksguard.yaml")
	if err := os.WriteFile(badConfig, []byte("fail_on: none\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
		want int
	}{
		{"gate passed", []string{"scan", "--fail-on", "none", example}, ExitOK},
		{"gate failed", []string{"scan", example}, ExitGate},
		{"unreadable input", []string{"scan", clean, missing}, ExitInput},
		{"unreadable input and a failed gate: 1 wins", []string{"scan", example, missing}, ExitGate},
		{"nothing to scan", []string{"scan", t.TempDir()}, ExitInput},
		{"incomplete with --fail-on-incomplete", []string{"scan", "--fail-on-incomplete", "--fail-on", "none", incompleteFixture}, ExitInput},
		{"unknown flag", []string{"scan", "--frobnicate", example}, ExitUsage},
		{"bad flag value", []string{"scan", "--fail-on", "severe", example}, ExitUsage},
		{"no PATH", []string{"scan"}, ExitUsage},
		{"unknown command", []string{"frobnicate"}, ExitUsage},
		{"configuration error", []string{"scan", "--config", badConfig, example}, ExitUsage},
		{"rule disabled without a reason", []string{"scan", "--skip-rule", "EKS-002", example}, ExitUsage},
		{"unwritable report", []string{"scan", "-f", "json=" + filepath.Join(missing, "r.json"), "--fail-on", "none", example}, ExitUsage},
		{"unwritable report and a failed gate: 3 wins", []string{"scan", "-f", "json=" + filepath.Join(missing, "r.json"), example}, ExitUsage},
	} {
		if code, _, stderr := run(t, "", c.args...); code != c.want {
			t.Errorf("%s: %v: exit %d, want %d\n%s", c.name, c.args, code, c.want, stderr)
		}
	}
}

// TestUnwritableReport: a report that cannot be written is an error on
// stderr and exit 3, after every other report was written.
func TestUnwritableReport(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "no-such-dir", "r.json")
	good := filepath.Join(dir, "r.sarif")
	code, out, stderr := run(t, "", "scan", "--no-color", "-f", "json="+bad, "-f", "sarif="+good, "-f", "text", example)
	if code != ExitUsage {
		t.Errorf("exit %d, want %d", code, ExitUsage)
	}
	if !strings.Contains(stderr, "writing the json report") || !strings.Contains(stderr, "no-such-dir") ||
		!strings.Contains(stderr, "1 report not written; exit status 3") {
		t.Errorf("stderr %q", stderr)
	}
	if data, err := os.ReadFile(good); err != nil || len(data) == 0 {
		t.Errorf("the SARIF report after it was not written: %v", err)
	}
	if !strings.Contains(out, "Gate: FAILED") {
		t.Errorf("the text report after it was not written:\n%s", out)
	}

	// A writer's own error is not dropped either: no file, a message,
	// exit 3.
	render.Writers["broken"] = func(io.Writer, *report.Report, render.Options) error { return errors.New("cannot render") }
	defer delete(render.Writers, "broken")
	file := filepath.Join(dir, "broken.out")
	code, _, stderr = run(t, "", "scan", "-f", "broken="+file, "--fail-on", "none", example)
	if code != ExitUsage || !strings.Contains(stderr, "cannot render") {
		t.Errorf("writer error: exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(file); err == nil {
		t.Error("a report whose writer failed was written")
	}
	// Writers stream into the file: one that fails midway leaves no
	// partial report, not even over the previous run's.
	render.Writers["halfway"] = func(w io.Writer, _ *report.Report, _ render.Options) error {
		if _, err := io.WriteString(w, `{"schema_version": "1.0",`); err != nil {
			return err
		}
		return errors.New("disk full")
	}
	defer delete(render.Writers, "halfway")
	if err := os.WriteFile(file, []byte("the previous run's report"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = run(t, "", "scan", "-f", "halfway="+file, "--fail-on", "none", example)
	if code != ExitUsage || !strings.Contains(stderr, "disk full") {
		t.Errorf("writer failing midway: exit %d, stderr %q", code, stderr)
	}
	if data, err := os.ReadFile(file); err == nil {
		t.Errorf("a report whose writer failed midway was left: %q", data)
	}

	// iam paths and baseline create too.
	code, _, stderr = run(t, "", "iam", "paths", "-f", "json="+bad, escFixtures+"trap-boundary-blocks")
	if code != ExitUsage || !strings.Contains(stderr, "no-such-dir") {
		t.Errorf("iam paths: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = run(t, "", "baseline", "create", "--output", bad, example)
	if code != ExitUsage || !strings.Contains(stderr, "no-such-dir") {
		t.Errorf("baseline create: exit %d, stderr %q", code, stderr)
	}
}
