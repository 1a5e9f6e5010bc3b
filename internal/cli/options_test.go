package cli

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// flagsOf lists a command's flags in a group.
func flagsOf(t *testing.T, name, group string) []string {
	t.Helper()
	c := commands[name]
	if c == nil {
		t.Fatalf("no command %q", name)
	}
	var out []string
	c.newFlagSet(&Options{}).VisitAll(func(f *pflag.Flag) {
		if flagGroup(f) == group {
			out = append(out, f.Name)
		}
	})
	sort.Strings(out)
	return out
}

// TestInputFlagsShared: every command that reads PATHs takes the same
// input flags, declared once; baseline create takes every flag of scan
// that shapes findings.
func TestInputFlagsShared(t *testing.T) {
	want := strings.Join(flagsOf(t, "scan", groupInputs), " ")
	for _, name := range []string{"baseline create", "graph", "iam paths"} {
		if got := strings.Join(flagsOf(t, name, groupInputs), " "); got != want {
			t.Errorf("%s input flags:\n got %s\nwant %s", name, got, want)
		}
	}
	for _, g := range []string{groupRules, groupPolicies, groupConfig} {
		if got, want := flagsOf(t, "baseline create", g), flagsOf(t, "scan", g); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("baseline create %s flags %v, scan's %v", g, got, want)
		}
	}
	for _, f := range []string{"var", "var-file", "cfn-param", "k8s-namespace", "account-id", "tf-dir", "follow-outside", "region"} {
		if !strings.Contains(" "+want+" ", " "+f+" ") {
			t.Errorf("--%s is not an input flag", f)
		}
	}
	// graph --var was once rejected.
	dir := writeFiles(t, map[string]string{"main.tf": `variable "name" {}
resource "aws_sns_topic" "t" { name = var.name }
`})
	code, out, stderr := run(t, "", "graph", dir, "--var", "name=orders")
	if code != ExitOK || !strings.Contains(out, `"orders"`) {
		t.Errorf("graph --var: exit %d, stderr %s\n%s", code, stderr, out)
	}
}

// TestBaselineWithNamespace: a baseline recorded with --k8s-namespace
// matches a scan given the same flag: nothing is new and the gate passes.
func TestBaselineWithNamespace(t *testing.T) {
	const pod = "../../examples/shop/k8s/debug-pod.yaml"
	b := filepath.Join(t.TempDir(), "baseline.json")
	if code, _, stderr := run(t, "", "baseline", "create", "--k8s-namespace", "apps", "--output", b, pod); code != ExitOK {
		t.Fatalf("baseline create --k8s-namespace: exit %d: %s", code, stderr)
	}
	code, r := scanJSON(t, "--k8s-namespace", "apps", "--baseline", b, pod)
	if code != ExitOK || len(r.Findings) != 0 || len(r.Baselined) == 0 {
		t.Errorf("scan with the same flags: exit %d, %d new, %d baselined", code, len(r.Findings), len(r.Baselined))
	}
	// Another namespace is another set of resources: all new.
	if _, r := scanJSON(t, "--baseline", b, pod); len(r.Findings) == 0 || len(r.Baselined) != 0 {
		t.Errorf("scan in another namespace: %d new, %d baselined", len(r.Findings), len(r.Baselined))
	}
}

// TestGNUFlags: flags after paths, -f for --format, --flag=value, a
// long flag with one dash (as Go's flag package read it), -- ending the
// flags.
func TestGNUFlags(t *testing.T) {
	for _, args := range [][]string{
		{"scan", example, "-f", "json", "--fail-on=none"},
		{"scan", "-format", "json", example, "-fail-on", "none"},
		{"scan", "--format=json", "--fail-on", "none", "--", example},
	} {
		code, out, stderr := run(t, "", args...)
		if code != ExitOK || !strings.HasPrefix(out, "{") {
			t.Errorf("%v: exit %d, stderr %s", args, code, stderr)
		}
	}
	if code, _, stderr := run(t, "", "scan", "--no-such-flag", example); code != ExitUsage || !strings.Contains(stderr, "--help") {
		t.Errorf("unknown flag: exit %d, stderr %q", code, stderr)
	}
}

// TestHelp: every command prints its help with examples on stdout and
// exits 0, for -h and --help alike.
func TestHelp(t *testing.T) {
	for name, c := range commands {
		for _, h := range []string{"--help", "-h"} {
			args := append(strings.Fields(name), h)
			code, out, stderr := run(t, "", args...)
			if code != ExitOK || stderr != "" {
				t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
			}
			if !strings.HasPrefix(out, "Usage: "+c.synopsis()) || (len(c.examples) > 0 && !strings.Contains(out, "Examples:\n")) {
				t.Errorf("%v: help\n%s", args, out)
			}
		}
		if len(c.examples) == 0 && name != "version" {
			t.Errorf("%s has no examples", name)
		}
	}
	code, out, _ := run(t, "", "scan", "--help")
	for _, s := range []string{"-f, --format FORMAT", "--k8s-namespace NAMESPACE", "(default high)", "Exit status:"} {
		if code != ExitOK || !strings.Contains(out, s) {
			t.Errorf("scan --help lacks %q", s)
		}
	}
}
