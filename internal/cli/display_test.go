package cli

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestQuiet: --quiet leaves the input errors and the gate's verdict in
// the text report, nothing else; the exit status is unchanged.
func TestQuiet(t *testing.T) {
	code, out, stderr := run(t, "", "scan", "-q", "--no-color", example)
	if code != ExitGate || out != "Gate: FAILED: 2 issues at high or above\n" || stderr != "" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	missing := filepath.Join(t.TempDir(), "missing.yaml")
	code, out, _ = run(t, "", "scan", "--quiet", "--no-color", "--fail-on", "none", example, missing)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != ExitInput || len(lines) != 3 || !strings.HasPrefix(lines[0], "! "+missing+": error: cannot read") ||
		lines[1] != "Gate: disabled (--fail-on none)" || !strings.HasPrefix(lines[2], "1 error reading inputs") {
		t.Errorf("with an input error: exit %d\n%s", code, out)
	}
	// Other formats are whole.
	if _, r := scanJSON(t, "-q", example); len(r.Findings) == 0 {
		t.Error("--quiet emptied the JSON report")
	}
}

// TestSeverityFilter: --severity chooses what the text and Markdown
// reports list and says how many findings it hid; the gate and JSON see
// every finding.
func TestSeverityFilter(t *testing.T) {
	_, all := scanJSON(t, example)
	high := 0
	for _, f := range append(all.Findings, all.Unknowns...) {
		if f.SeverityName == "high" || f.SeverityName == "critical" {
			high++
		}
	}
	hidden := len(all.Findings) + len(all.Unknowns) - high
	if high == 0 || hidden == 0 {
		t.Fatalf("the example should have findings on both sides: %d high, %d other", high, hidden)
	}
	code, out, _ := run(t, "", "scan", "--no-color", "--severity", "critical,high", example)
	if code != ExitGate || strings.Count(out, "[High Severity]") != high || strings.Contains(out, "[Medium Severity]") {
		t.Errorf("exit %d; text lists other severities or misses high ones:\n%s", code, out)
	}
	want := strings.Replace("N findings not shown (--severity critical,high); the gate and the JSON report count them", "N", strconv.Itoa(hidden), 1)
	if !strings.Contains(out, want) {
		t.Errorf("text lacks %q:\n%s", want, out)
	}
	// The gate still judges the hidden ones.
	if code, _, _ := run(t, "", "scan", "-s", "low", "--fail-on", "high", example); code != ExitGate {
		t.Errorf("-s low hid the high findings from the gate: exit %d", code)
	}
	_, r := scanJSON(t, "-s", "low", example)
	if len(r.Findings) != len(all.Findings) {
		t.Errorf("JSON with --severity: %d findings, want %d", len(r.Findings), len(all.Findings))
	}
	_, md, _ := run(t, "", "scan", "-f", "markdown", "-s", "high", example)
	if strings.Contains(md, "| medium |") || !strings.Contains(md, "| high |") || !strings.Contains(md, "of other severities not listed here") {
		t.Errorf("markdown:\n%s", md)
	}
	if code, _, stderr := run(t, "", "scan", "-s", "severe", example); code != ExitUsage || !strings.Contains(stderr, "--severity") {
		t.Errorf("a bad severity: exit %d, %s", code, stderr)
	}
}
