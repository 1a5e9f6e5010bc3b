package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runEnv is run with environment variables.
func runEnv(t *testing.T, vars map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return vars[k] }})
	return code, out.String(), errb.String()
}

// repo lays out files in a directory holding .git, as a repository.
func repo(t *testing.T, files map[string]string) string {
	t.Helper()
	files[".git/HEAD"] = "ref: refs/heads/main\n"
	return writeFiles(t, files)
}

var failingPod = strings.Replace(privilegedPod, "%s", "", 1)

// TestConfigTypos: an unknown key is an error with the file, the line and
// the nearest valid key, and the command does nothing else (exit 3).
func TestConfigTypos(t *testing.T) {
	for _, c := range []struct{ yaml, want string }{
		{"fail-on: none\nsupressions:\n  - rule: K8S-001\n    reason: x\n", `.eksguard.yaml:2: unknown key "supressions" (did you mean "suppressions"?)`},
		{"# the gate\nfail_on: none\n", `.eksguard.yaml:2: unknown key "fail_on" (did you mean "fail-on"?)`},
		{"suppressions:\n  - rule: K8S-001\n    reasn: reviewed\n", `.eksguard.yaml:3: unknown suppression key "reasn" (did you mean "reason"?)`},
		{"colour: false\n", `.eksguard.yaml:1: unknown key "colour"`},
		{"fail-on: sometimes\n", `--fail-on: unknown severity "sometimes" (want critical, high, medium, low or none) (set at /*/.eksguard.yaml:1)`},
		{"k8s-namespace: [a, {b: c}]\n", `.eksguard.yaml:1: k8s-namespace: want a list of values`},
		{"fail-on: [\n", `.eksguard.yaml: not YAML`},
		{"fail-on: none\nfail-on: high\n", `.eksguard.yaml:2: key "fail-on" is given twice (first at line 1)`},
	} {
		dir := writeFiles(t, map[string]string{"pod.yaml": failingPod, ".eksguard.yaml": c.yaml})
		code, out, stderr := run(t, "", "scan", "--config", filepath.Join(dir, ".eksguard.yaml"), dir)
		// * stands for the temporary directory.
		before, after, _ := strings.Cut(c.want, "/*/")
		if code != ExitUsage || !strings.Contains(stderr, before) || !strings.Contains(stderr, after) || out != "" {
			t.Errorf("%q: exit %d, stderr %q, want 3 and %q", c.yaml, code, stderr, c.want)
		}
	}
	// "colour" is too far from any key to guess.
	dir := writeFiles(t, map[string]string{"pod.yaml": failingPod, ".eksguard.yaml": "colour: false\n"})
	if _, _, stderr := run(t, "", "scan", "--config", filepath.Join(dir, ".eksguard.yaml"), dir); strings.Contains(stderr, "did you mean") {
		t.Errorf("a far-fetched guess: %s", stderr)
	}
	if code, _, stderr := run(t, "", "scan", "--config", filepath.Join(dir, "missing.yaml"), dir); code != ExitUsage || !strings.Contains(stderr, "cannot read the configuration file") {
		t.Errorf("missing --config: exit %d, %s", code, stderr)
	}
}

// TestConfigDiscovery: .eksguard.yaml is found beside the PATH scanned or
// in a parent up to the repository root, else in the current directory
// or its parents; never above the repository.
func TestConfigDiscovery(t *testing.T) {
	r := repo(t, map[string]string{
		".eksguard.yaml":       "fail-on: none\n",
		"deploy/apps/pod.yaml": failingPod,
	})
	pod := filepath.Join(r, "deploy", "apps", "pod.yaml")
	if code, _, stderr := run(t, "", "scan", pod); code != ExitOK {
		t.Errorf("config at the repository root, file scanned two levels down: exit %d, %s", code, stderr)
	}
	// A file nearer the PATH wins.
	if err := os.WriteFile(filepath.Join(r, "deploy", ".eksguard.yaml"), []byte("fail-on: low\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := run(t, "", "scan", filepath.Join(r, "deploy")); code != ExitGate {
		t.Errorf("config nearer the PATH: exit %d, want its fail-on low to fail the gate", code)
	}
	// Above the repository root nothing is read.
	outer := t.TempDir()
	inner := filepath.Join(outer, "checkout")
	for name, body := range map[string]string{
		filepath.Join(outer, ".eksguard.yaml"): "fail-on: none\n",
		filepath.Join(inner, ".git", "HEAD"):   "ref: refs/heads/main\n",
		filepath.Join(inner, "pod.yaml"):       failingPod,
	} {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if code, _, _ := run(t, "", "scan", inner); code != ExitGate {
		t.Errorf("a configuration above the repository root was read: exit %d", code)
	}
	// From the current directory when the PATH has none (stdin here).
	t.Chdir(r)
	if code, _, stderr := run(t, failingPod, "scan", "-"); code != ExitOK {
		t.Errorf("config in the current directory, stdin scanned: exit %d, %s", code, stderr)
	}
}

// TestConfigPrecedence: a flag overrides EKSGUARD_<FLAG>, which overrides
// the configuration file; list values, NAME: VALUE maps and paths
// relative to the file's directory read as the flags do.
func TestConfigPrecedence(t *testing.T) {
	r := repo(t, map[string]string{
		".eksguard.yaml": "fail-on: none\nk8s-namespace: apps\nformat: [json]\n",
		"pod.yaml":       strings.Replace(failingPod, "  namespace: tools\n", "", 1),
	})
	cfg := filepath.Join(r, ".eksguard.yaml")
	for _, c := range []struct {
		env  map[string]string
		args []string
		want int
	}{
		{nil, nil, ExitOK},
		{map[string]string{"EKSGUARD_FAIL_ON": "high"}, nil, ExitGate},
		{map[string]string{"EKSGUARD_FAIL_ON": "high"}, []string{"--fail-on", "none"}, ExitOK},
		{map[string]string{"EKSGUARD_FAIL_ON": "sometimes"}, nil, ExitUsage},
		{map[string]string{"EKSGUARD_FAIL_ONN": "high"}, nil, ExitOK}, // not a flag's variable: not read
		{map[string]string{"EKSGUARD_CONFIG": filepath.Join(r, "missing.yaml")}, nil, ExitUsage},
	} {
		code, out, stderr := runEnv(t, c.env, append(append([]string{"scan"}, c.args...), r)...)
		if code != c.want {
			t.Errorf("env %v, flags %v: exit %d, want %d\n%s", c.env, c.args, code, c.want, stderr)
		}
		if c.want != ExitUsage && (!strings.HasPrefix(out, "{") || !strings.Contains(out, `"Pod/apps/agent"`)) {
			t.Errorf("env %v: the file's format and k8s-namespace were not applied:\n%.300s", c.env, out)
		}
	}
	// The environment's list: one value per line for flags whose values
	// may hold commas.
	code, out, _ := runEnv(t, map[string]string{"EKSGUARD_K8S_NAMESPACE": "web", "EKSGUARD_FORMAT": "text"}, "scan", "--no-color", r)
	if code != ExitOK || !strings.Contains(out, "Pod/web/agent") {
		t.Errorf("EKSGUARD_K8S_NAMESPACE and EKSGUARD_FORMAT: exit %d\n%s", code, out)
	}

	// var as a mapping, var-file relative to the file's directory.
	tf := repo(t, map[string]string{
		".eksguard.yaml":     "var:\n  env: prod\nvar-file: [vars/region.tfvars]\nformat: json\n",
		"vars/region.tfvars": "region = \"eu-west-1\"\n",
		"infra/main.tf": `variable "env" {}
variable "region" {}
resource "aws_sns_topic" "t" { name = "${var.env}-${var.region}" }
`,
	})
	code, out, stderr := run(t, "", "graph", filepath.Join(tf, "infra"))
	if code != ExitOK || !strings.Contains(out, `"prod-eu-west-1"`) {
		t.Errorf("graph with var and var-file from the config: exit %d, %s\n%.400s", code, stderr, out)
	}
	code, _, stderr = runEnv(t, map[string]string{"EKSGUARD_FAIL_ON": "sometimes"}, "scan", "--config", cfg, r)
	if code != ExitUsage || !strings.Contains(stderr, "(set by EKSGUARD_FAIL_ON)") {
		t.Errorf("a bad value from the environment: exit %d, stderr %q", code, stderr)
	}
}
