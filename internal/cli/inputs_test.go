package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNothingScanned: an empty directory or a missing path is exit 2 and
// the gate says it judged nothing, in text and in JSON.
func TestNothingScanned(t *testing.T) {
	empty := t.TempDir()
	missing := filepath.Join(empty, "does-not-exist")
	for _, path := range []string{empty, missing} {
		code, out, _ := run(t, "", "scan", "--no-color", path)
		if code != ExitInput {
			t.Errorf("%s: exit status %d, want 2", path, code)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if !strings.Contains(out, "Gate: not evaluated (no input was read)") || strings.Contains(out, "Gate: passed") {
			t.Errorf("%s: text report ends %q", path, lines[len(lines)-2:])
		}
		if path == empty && !strings.Contains(out, "no input of a kind eksguard reads under "+empty) {
			t.Errorf("empty directory: %s", out)
		}
		if !strings.HasPrefix(out, "eksguard dev: 0 files, ") {
			t.Errorf("header: %q", lines[0])
		}
		code, r := scanJSON(t, path)
		if code != ExitInput || r.Gate.Passed || r.Gate.NotEvaluated != "no input was read" || len(r.Errors) != 1 {
			t.Errorf("%s JSON: exit %d, gate %+v, errors %v", path, code, r.Gate, r.Errors)
		}
	}
	// Written only to a file, the report is not seen: stderr says why.
	code, _, stderr := run(t, "", "scan", "--format", "json="+filepath.Join(t.TempDir(), "r.json"), empty)
	if code != ExitInput || !strings.Contains(stderr, "gate not evaluated") || !strings.Contains(stderr, "no input of a kind eksguard reads") {
		t.Errorf("report to a file: exit %d, stderr %q", code, stderr)
	}
	// With something read, an unreadable path is an input error but the
	// gate still judges what was read, and its failure wins.
	code, r := scanJSON(t, example, missing)
	if code != ExitGate || r.Gate.NotEvaluated != "" || r.Gate.Blocking == 0 {
		t.Errorf("partial scan: exit %d, gate %+v", code, r.Gate)
	}
	if code, _, _ := run(t, "", "graph", empty); code != ExitInput {
		t.Errorf("graph of an empty directory: exit %d", code)
	}
}

// TestHeaderCountsTerraformFiles: a Terraform root is counted by the .tf
// files read through it, in the header, the inputs and the summary.
func TestHeaderCountsTerraformFiles(t *testing.T) {
	_, out, _ := run(t, "", "scan", "--no-color", "--as-of", "2026-11-22", "../../examples/eks-platform")
	if first := strings.SplitN(out, "\n", 2)[0]; !strings.Contains(first, ": 31 files (31 terraform)") {
		t.Errorf("header %q, want the 31 .tf files of examples/eks-platform", first)
	}
	_, r := scanJSON(t, "../../examples/eks-platform")
	if len(r.Inputs) != 1 || r.Inputs[0].Files != 31 || r.Summary.Files != 31 {
		t.Errorf("inputs %+v, summary.files %d", r.Inputs, r.Summary.Files)
	}
	_, r = scanJSON(t, example)
	if len(r.Inputs) != 1 || r.Inputs[0].Files != 1 || r.Summary.Files != 1 {
		t.Errorf("plan: inputs %+v, summary.files %d", r.Inputs, r.Summary.Files)
	}
}

// TestFollowOutsideFlag: every command that scans paths takes the flag.
func TestFollowOutsideFlag(t *testing.T) {
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "ns.yaml"), []byte("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: outside\n"), 0o644)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "ns.yaml"), []byte("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: inside\n"), 0o644)
	if err := os.Symlink(filepath.Join(outside, "ns.yaml"), filepath.Join(dir, "link.yaml")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	namespaces := func(args ...string) []string {
		t.Helper()
		code, out, stderr := run(t, "", append([]string{"graph"}, args...)...)
		if code != ExitOK {
			t.Fatalf("graph %v: exit %d: %s", args, code, stderr)
		}
		var g struct {
			Resources []struct {
				Address string `json:"address"`
			} `json:"resources"`
		}
		if err := json.Unmarshal([]byte(out), &g); err != nil {
			t.Fatal(err)
		}
		var out2 []string
		for _, r := range g.Resources {
			out2 = append(out2, r.Address)
		}
		return out2
	}
	if got := strings.Join(namespaces(dir), " "); strings.Contains(got, "outside") {
		t.Errorf("graph without --follow-outside read the link: %s", got)
	}
	if got := strings.Join(namespaces("--follow-outside", dir), " "); !strings.Contains(got, "Namespace/outside") {
		t.Errorf("graph --follow-outside: %s", got)
	}
	_, r := scanJSON(t, dir)
	notice := false
	for _, n := range r.Notices {
		notice = notice || (strings.HasSuffix(n.File, "link.yaml") && strings.Contains(n.Summary, "outside the scanned paths"))
	}
	if !notice || r.Summary.Files != 1 {
		t.Errorf("scan: notices %v, files %d", r.Notices, r.Summary.Files)
	}
	if _, r = scanJSON(t, "--follow-outside", dir); r.Summary.Files != 2 || len(r.Notices) != 0 {
		t.Errorf("scan --follow-outside: inputs %v, notices %v", r.Inputs, r.Notices)
	}
	if code, _, stderr := run(t, "", "iam", "paths", "--follow-outside", dir); code != ExitOK {
		t.Errorf("iam paths --follow-outside: exit %d: %s", code, stderr)
	}
	out := filepath.Join(t.TempDir(), "b.json")
	if code, _, stderr := run(t, "", "baseline", "create", "--follow-outside", "--output", out, dir); code != ExitOK {
		t.Errorf("baseline create --follow-outside: exit %d: %s", code, stderr)
	}
}
