package frontend

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/testutil/plangen"
)

func TestLoadKeepsGoingPastBadInputs(t *testing.T) {
	dir := t.TempDir()
	plan := plangen.Generate(20)
	write := func(name string, data []byte) {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("good.json", plan)
	write("truncated.json", plan[:len(plan)/3])
	write("binary.json", []byte{0x7b, 0x00, 0x01, 0x02})
	write("package.json", []byte(`{"name": "web", "version": "1.0.0"}`))
	write(".terraform/ignored.json", plan)
	// A symbolic link loop must not make the walk endless.
	if err := os.Symlink(dir, filepath.Join(dir, "loop")); err != nil {
		t.Fatal(err)
	}

	res := Load([]string{dir}, Options{})
	if res.Graph.Len() != 20 {
		t.Errorf("loaded %d resources, want the 20 of good.json", res.Graph.Len())
	}
	var errs, notices []diag.Diagnostic
	for _, d := range res.Diags {
		switch d.Severity {
		case diag.Error:
			errs = append(errs, d)
		case diag.Notice:
			notices = append(notices, d)
		}
	}
	if len(errs) != 1 || !strings.HasSuffix(errs[0].File, "truncated.json") || errs[0].Line < 1 {
		t.Errorf("want one positioned error for truncated.json, got %v", errs)
	}
	if len(notices) != 1 || !strings.HasSuffix(notices[0].File, "package.json") {
		t.Errorf("want a notice for package.json, got %v", notices)
	}
}

func TestExplicitInputs(t *testing.T) {
	dir := t.TempDir()
	other := filepath.Join(dir, "policy.json")
	os.WriteFile(other, []byte(`{"foo": 1}`), 0o644)
	res := Load([]string{other, filepath.Join(dir, "missing.json")}, Options{})
	if len(res.Diags) != 2 || res.Diags[0].Severity != diag.Error || res.Diags[1].Severity != diag.Error {
		t.Errorf("an explicitly named file of unknown kind and a missing file are errors: %v", res.Diags)
	}
	res = Load([]string{"-"}, Options{Stdin: strings.NewReader(string(plangen.Generate(10)))})
	if res.Graph.Len() != 10 || len(res.Files) != 1 || res.Files[0].Path != "<stdin>" {
		t.Errorf("stdin: %d resources, files %v", res.Graph.Len(), res.Files)
	}
}
