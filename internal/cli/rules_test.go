package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/render"
	"github.com/eksguard/eksguard/internal/report"
)

func ruleIDs(fs []report.DisabledRule) string {
	var out []string
	for _, d := range fs {
		out = append(out, d.RuleID)
	}
	return strings.Join(out, " ")
}

func fired(r *report.Report, id string) bool {
	for _, f := range r.Findings {
		if f.RuleID == id {
			return true
		}
	}
	return false
}

// TestDisableRules: a rule turned off in the configuration (with a
// reason) or by --skip-rule ID=REASON does not run, and every report says
// so with the reason and where it was written. A rule turned off without
// a reason, or a pattern matching no rule, is exit 3.
func TestDisableRules(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"pod.yaml": failingPod,
		"eksguard.yaml": `rules:
  disable:
    - id: K8S-010
      reason: the agent needs the host's devices, reviewed in SEC-12
`,
	})
	cfg := filepath.Join(dir, "eksguard.yaml")
	pod := filepath.Join(dir, "pod.yaml")
	code, r := scanJSON(t, "--config", cfg, pod)
	if fired(r, "K8S-010") || !fired(r, "K8S-015") || code != ExitOK {
		t.Errorf("K8S-010 disabled: exit %d, findings %v", code, r.Findings)
	}
	if len(r.DisabledRules) != 1 || r.DisabledRules[0].RuleID != "K8S-010" || r.DisabledRules[0].Source != cfg+":3" ||
		!strings.Contains(r.DisabledRules[0].Reason, "SEC-12") || r.DisabledRules[0].Title == "" {
		t.Errorf("disabled_rules %+v", r.DisabledRules)
	}
	// The text footer, Markdown, GitHub annotations and SARIF.
	_, out, _ := run(t, "", "scan", "--no-color", "--config", cfg, pod)
	if !strings.Contains(out, "Disabled rules (1): not run\n  - K8S-010 (Container runs privileged): the agent needs the host's devices, reviewed in SEC-12 ["+cfg+":3]") {
		t.Errorf("text:\n%s", out)
	}
	for format, want := range map[string]string{
		"markdown": "**Disabled rules (1):** not run\n\n- K8S-010 (Container runs privileged): the agent",
		"github":   "::notice title=rule K8S-010 disabled::K8S-010 (Container runs privileged): the agent",
		"junit":    `<testcase name="K8S-010" classname="eksguard/rule-disabled"`,
		"html":     "<li>K8S-010 (Container runs privileged): the agent needs the host&#39;s devices",
	} {
		if _, out, _ := run(t, "", "scan", "-f", format, "--config", cfg, pod); !strings.Contains(out, want) {
			t.Errorf("%s lacks %q:\n%s", format, want, out)
		}
	}
	_, out, _ = run(t, "", "scan", "-f", "sarif", "--config", cfg, pod)
	var log struct {
		Runs []struct {
			Invocations []struct {
				ToolConfigurationNotifications []struct {
					Descriptor     struct{ ID string }
					AssociatedRule struct{ ID string }
					Message        struct{ Text string }
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	ns := log.Runs[0].Invocations[0].ToolConfigurationNotifications
	if len(ns) != 1 || ns[0].Descriptor.ID != render.DisabledID || ns[0].AssociatedRule.ID != "K8S-010" || !strings.Contains(ns[0].Message.Text, "SEC-12") {
		t.Errorf("SARIF notifications %+v", ns)
	}

	// --skip-rule replaces the file's list, and needs a reason.
	_, r = scanJSON(t, "--config", cfg, "--skip-rule", "K8S-015=the image's entrypoint drops privileges", pod)
	if !fired(r, "K8S-010") || fired(r, "K8S-015") || ruleIDs(r.DisabledRules) != "K8S-015" || r.DisabledRules[0].Source != "--skip-rule" {
		t.Errorf("--skip-rule: disabled %+v", r.DisabledRules)
	}
	_, r = scanJSON(t, "--skip-rule", "K8S-00*=namespaces are provisioned by the platform team", pod)
	if ruleIDs(r.DisabledRules) != "K8S-001 K8S-002 K8S-003 K8S-004 K8S-005 K8S-006" || fired(r, "K8S-003") {
		t.Errorf("a glob: disabled %s", ruleIDs(r.DisabledRules))
	}
	_, r = runEnvJSON(t, map[string]string{"EKSGUARD_SKIP_RULE": "K8S-010=reviewed\nK8S-015=reviewed too"}, pod)
	if ruleIDs(r.DisabledRules) != "K8S-010 K8S-015" || r.DisabledRules[0].Source != "EKSGUARD_SKIP_RULE" {
		t.Errorf("EKSGUARD_SKIP_RULE: disabled %+v", r.DisabledRules)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--skip-rule", "K8S-010"}, "--skip-rule: want ID=REASON"},
		{[]string{"--skip-rule", "K8S-010= "}, "--skip-rule: want ID=REASON"},
		{[]string{"--skip-rule", "K8S-01O=typo"}, `--skip-rule: "K8S-01O" matches no rule (did you mean K8S-010?)`},
		{[]string{"--rule", "EKZ-*"}, `--rule: "EKZ-*" matches no rule`},
	} {
		if code, out, stderr := run(t, "", append(append([]string{"scan"}, c.args...), pod)...); code != ExitUsage || !strings.Contains(stderr, c.want) || out != "" {
			t.Errorf("%v: exit %d, stderr %q, want 3 and %q", c.args, code, stderr, c.want)
		}
	}
	for _, c := range []struct{ yaml, want string }{
		{"rules:\n  disable:\n    - id: K8S-010\n", ":3: rules: disable: K8S-010 gives no reason"},
		{"rules:\n  disable: [K8S-010]\n", ":2: rules: disable: want entries with id and reason"},
		{"rules:\n  disable:\n    - id: K8S-010\n      reson: x\n", `:4: unknown rules.disable key "reson" (did you mean "reason"?)`},
		{"rules:\n  disabled: []\n", `:2: unknown rules key "disabled" (did you mean "disable"?)`},
		{"rules:\n  enable: [K8S-999]\n", `:2: "K8S-999" matches no rule`},
	} {
		writeFile(t, cfg, c.yaml)
		if code, _, stderr := run(t, "", "scan", "--config", cfg, pod); code != ExitUsage || !strings.Contains(stderr, cfg+c.want) {
			t.Errorf("%q: exit %d, stderr %q, want 3 and %q", c.yaml, code, stderr, c.want)
		}
	}
}

func runEnvJSON(t *testing.T, env map[string]string, args ...string) (int, *report.Report) {
	t.Helper()
	code, out, stderr := runEnv(t, env, append([]string{"scan", "-f", "json", "--as-of", "2026-11-22"}, args...)...)
	var r report.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("JSON output does not parse: %v\nstderr: %s", err, stderr)
	}
	return code, &r
}

// TestEnableRules: --rule (rules.enable) runs only the rules it names;
// the rest are listed as not selected, and the baseline recorded with the
// same selection matches.
func TestEnableRules(t *testing.T) {
	dir := writeFiles(t, map[string]string{"pod.yaml": failingPod, "eksguard.yaml": "rules:\n  enable: [K8S-010, K8S-015]\n"})
	pod := filepath.Join(dir, "pod.yaml")
	_, r := scanJSON(t, "--rule", "K8S-010,K8S-015", pod)
	if len(r.Findings) != 2 || !fired(r, "K8S-010") || !fired(r, "K8S-015") || r.Summary.Rules != 2 {
		t.Errorf("--rule: findings %v, %d rules", r.Findings, r.Summary.Rules)
	}
	notSelected := 0
	for _, d := range r.DisabledRules {
		if d.NotSelected && d.Source == "--rule" && strings.Contains(d.Reason, "only K8S-010, K8S-015 run") {
			notSelected++
		}
	}
	if notSelected == 0 || notSelected != len(r.DisabledRules) {
		t.Errorf("%d of %d listed as not selected", notSelected, len(r.DisabledRules))
	}
	cfg := filepath.Join(dir, "eksguard.yaml")
	_, out, _ := run(t, "", "scan", "--no-color", "--config", cfg, pod)
	if !strings.Contains(out, "rules not selected (not selected: only K8S-010, K8S-015 run) ["+cfg+":2]") {
		t.Errorf("text:\n%s", out)
	}
	// Disabling wins over enabling.
	if _, r := scanJSON(t, "--config", cfg, "--skip-rule", "K8S-015=reviewed", pod); len(r.Findings) != 1 || !fired(r, "K8S-010") {
		t.Errorf("enable and disable: findings %v", r.Findings)
	}
	b := filepath.Join(t.TempDir(), "b.json")
	if code, _, stderr := run(t, "", "baseline", "create", "--rule", "K8S-010", "-o", b, pod); code != ExitOK {
		t.Fatalf("baseline create --rule: exit %d: %s", code, stderr)
	}
	if code, r := scanJSON(t, "--rule", "K8S-010", "--baseline", b, pod); code != ExitOK || len(r.Findings) != 0 {
		t.Errorf("scan with the baseline's selection: exit %d, %d new", code, len(r.Findings))
	}
}
