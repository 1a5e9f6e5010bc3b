package cli

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/report"
)

const tsconfig = `{
  // JSONC: comments and trailing commas, as TypeScript reads it
  "compilerOptions": { "strict": true, },
}
`

// TestWalkedFileOfNoKindIsNotice: in a walked directory, a file that does
// not parse and says nothing of being an input eksguard reads (a JSONC
// tsconfig.json, a broken YAML of some other tool) is a notice, not an
// input error; named on the command line it is an error. A plan cut short
// still says it is a plan: an error wherever it is met.
func TestWalkedFileOfNoKindIsNotice(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"deploy/pod.yaml":   failingPod,
		"web/tsconfig.json": tsconfig,
		"web/compose.yaml":  "services: [\n",
	})
	code, r := scanJSON(t, "--fail-on", "none", dir)
	if code != ExitOK || len(r.Errors) != 0 {
		t.Errorf("scan --fail-on none of the monorepo: exit %d, errors %v", code, r.Errors)
	}
	var noted []string
	for _, n := range r.Notices {
		noted = append(noted, filepath.Base(n.File))
	}
	sort.Strings(noted)
	if strings.Join(noted, " ") != "compose.yaml tsconfig.json" {
		t.Errorf("notices name %v, want the two files", noted)
	}
	for _, f := range []string{"web/tsconfig.json", "web/compose.yaml"} {
		code, r := scanJSON(t, "--fail-on", "none", filepath.Join(dir, f))
		if code != ExitInput || len(r.Errors) != 1 {
			t.Errorf("%s named: exit %d, errors %v; want 2 and one error", f, code, r.Errors)
		}
	}
	plan := writeFiles(t, map[string]string{"deploy/pod.yaml": failingPod,
		"plans/tfplan.json": `{"format_version": "1.2", "terraform_version": "1.5.7", "planned_values": {`})
	if code, r := scanJSON(t, "--fail-on", "none", plan); code != ExitInput || len(r.Errors) != 1 {
		t.Errorf("a plan cut short in a walk: exit %d, errors %v", code, r.Errors)
	}
}

// TestSkipDirsAndFiles: --skip-dirs and --skip-files leave paths out of
// walks, by ** globs, from flags or the configuration file; the built-in
// directory names can be replaced; a PATH named is read whatever they say.
func TestSkipDirsAndFiles(t *testing.T) {
	pod := func(ns string) string { return strings.Replace(failingPod, "namespace: tools", "namespace: "+ns, 1) }
	dir := writeFiles(t, map[string]string{
		"apps/pod.yaml":              pod("apps"),
		"legacy/pod.yaml":            pod("legacy"),
		"apps/old/pod.yaml":          pod("old"),
		"apps/generated-pod.yaml":    pod("generated"),
		"node_modules/chart/pod.yml": pod("vendored"),
	})
	read := func(r *report.Report) string {
		var out []string
		for _, in := range r.Inputs {
			rel, _ := filepath.Rel(dir, in.Path)
			out = append(out, filepath.ToSlash(rel))
		}
		sort.Strings(out)
		return strings.Join(out, " ")
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "apps/generated-pod.yaml apps/old/pod.yaml apps/pod.yaml legacy/pod.yaml"},
		{[]string{"--skip-dirs", "legacy,**/old"}, "apps/generated-pod.yaml apps/pod.yaml"},
		{[]string{"--skip-dirs", "legacy", "--skip-dirs", "apps/old"}, "apps/generated-pod.yaml apps/pod.yaml"},
		{[]string{"--skip-files", "**/generated-*.yaml"}, "apps/old/pod.yaml apps/pod.yaml legacy/pod.yaml"},
		{[]string{"--default-skip-dirs", ""}, "apps/generated-pod.yaml apps/old/pod.yaml apps/pod.yaml legacy/pod.yaml node_modules/chart/pod.yml"},
		{[]string{"--default-skip-dirs", "apps"}, "legacy/pod.yaml node_modules/chart/pod.yml"},
	} {
		_, r := scanJSON(t, append(c.args, dir)...)
		if got := read(r); got != c.want {
			t.Errorf("%v: read %s\nwant %s", c.args, got, c.want)
		}
	}
	// Named, a skipped directory is read.
	if _, r := scanJSON(t, "--skip-dirs", "legacy", filepath.Join(dir, "legacy")); read(r) != "legacy/pod.yaml" {
		t.Errorf("a PATH named under --skip-dirs: read %s", read(r))
	}
	// From the configuration file, and in every command that reads PATHs.
	cfg := filepath.Join(t.TempDir(), "eksguard.yaml")
	writeFile(t, cfg, "skip-dirs: [legacy]\nskip-files:\n  - '**/generated-*'\n  - apps/old/*\n")
	if _, r := scanJSON(t, "--config", cfg, dir); read(r) != "apps/pod.yaml" {
		t.Errorf("skip-dirs and skip-files from the configuration: read %s", read(r))
	}
	if code, out, _ := run(t, "", "graph", "--config", cfg, dir); code != ExitOK || strings.Contains(out, "legacy") {
		t.Errorf("graph with the configuration: exit %d, legacy read: %v", code, strings.Contains(out, "legacy"))
	}
	if code, _, stderr := run(t, "", "scan", "--skip-dirs", "[", dir); code != ExitUsage || !strings.Contains(stderr, "not a valid glob") {
		t.Errorf("a bad glob: exit %d, %s", code, stderr)
	}
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}
