package scan

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/builtin"
	"github.com/eksguard/eksguard/internal/policy"
	"github.com/eksguard/eksguard/internal/report"
	"github.com/eksguard/eksguard/internal/rule"
	"github.com/eksguard/eksguard/internal/rule/ruletest"
	"github.com/eksguard/eksguard/internal/testutil/plangen"
)

// options are those of `eksguard scan --policy DIR... --rule PATTERN...
// PATH...`, as the command line builds them; fullGraph forces the graph
// to be built whatever runs.
func options(t *testing.T, policies, enable, paths []string, fullGraph bool) (Options, *bytes.Buffer) {
	t.Helper()
	ids := map[string]bool{}
	all := builtin.All()
	for _, r := range all {
		ids[r.ID] = true
	}
	s := policy.Load(policies, policy.Options{BuiltinIDs: ids})
	if len(s.Diags) > 0 {
		t.Fatalf("policies: %v", s.Diags)
	}
	for _, p := range s.Policies {
		all = append(all, p.Rule)
	}
	sel := Selection{Enable: enable, EnableSource: "--rule"}
	disabled, err := Select(all, sel)
	if err != nil {
		t.Fatal(err)
	}
	var printed bytes.Buffer
	return Options{Paths: paths, Config: rule.Config{AsOf: ruletest.AsOf}, Policies: s, Disabled: disabled,
		PolicyPrint: &printed, Version: "test", fullGraph: fullGraph}, &printed
}

// reportJSON is the report as the JSON writer shows it, with its IAM
// escalation paths apart: a policies-only run does not analyse them.
func reportJSON(t *testing.T, r *report.Report) (string, []report.PathView) {
	t.Helper()
	paths := r.IAMPaths
	r.IAMPaths = nil
	b, err := json.MarshalIndent(r, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b), paths
}

// A scan that runs only raw-document policies skips what only rules read,
// and reports what the same scan with the whole graph built reports, down
// to each finding's resource, position, fingerprint and masked message.
func TestPoliciesOnlyScanMatchesFullGraph(t *testing.T) {
	gen := t.TempDir()
	pretty := filepath.Join(gen, "pretty", "plan.json")
	compact := filepath.Join(gen, "compact", "plan.json")
	for _, p := range []string{pretty, compact} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	data := plangen.Generate(300)
	if err := os.WriteFile(pretty, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, data); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(compact, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	secrets := filepath.Join(gen, "secrets.json")
	if err := os.WriteFile(secrets, []byte(secretPlan), 0o644); err != nil {
		t.Fatal(err)
	}
	pol := filepath.Join(gen, "policy")
	if err := os.Mkdir(pol, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(pol, "plan.rego"), []byte(planPolicy), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name             string
		policies, enable []string
		paths            []string
		printed          bool
	}{
		{"examples", []string{"../../examples/policies/raw"}, []string{"main.*"}, []string{"../../examples/policies/testdata"}, false},
		{"conftest", []string{"../policy/testdata/conftest/policy"}, []string{"main.*"},
			[]string{"../policy/testdata/conftest/k8s", "../policy/testdata/conftest/terraform", "../policy/testdata/conftest/values"}, false},
		{"formats", []string{"../policy/testdata/rawshapes"}, []string{"main.*"},
			[]string{"../builtin/testdata/EKS-001/hcl", "../builtin/testdata/EKS-001/cfn", "../../examples/seed-eks"}, false},
		{"generated plan", []string{pol}, []string{"plan.*"}, []string{pretty, compact, secrets}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fast, fastPrint := options(t, c.policies, c.enable, c.paths, false)
			if fo := frontendOptions(fast, nil); !fo.RawOnly || !fo.KeepDocuments {
				t.Fatalf("front-end options %+v: want raw documents only", fo)
			}
			full, fullPrint := options(t, c.policies, c.enable, c.paths, true)
			if fo := frontendOptions(full, nil); fo.RawOnly {
				t.Fatal("fullGraph: the graph is not built")
			}
			fr, gr := Run(fast), Run(full)
			if len(fr.Findings) == 0 || len(fr.Errors) > 0 {
				t.Fatalf("%d findings, errors %v", len(fr.Findings), fr.Errors)
			}
			got, paths := reportJSON(t, fr)
			want, _ := reportJSON(t, gr)
			if got != want {
				t.Errorf("policies-only report differs from the full graph's:\n%s", firstDiff(got, want))
			}
			if len(paths) > 0 {
				t.Errorf("policies-only run analysed IAM paths: %v", paths)
			}
			if fastPrint.String() != fullPrint.String() {
				t.Errorf("print output differs:\n%s\n---\n%s", fastPrint, fullPrint)
			}
			if c.printed && fastPrint.Len() == 0 {
				t.Error("nothing printed")
			}
			if strings.Contains(got+fastPrint.String(), "hunter2-Zq8") {
				t.Error("a secret reached the report or the print output")
			}
		})
	}
}

// A run with any built-in rule, or a resource or graph policy, builds the
// whole graph.
func TestPoliciesOnlyNeedsOnlyRawPolicies(t *testing.T) {
	const graphPolicies = "../../examples/policies"
	for _, c := range []struct {
		enable []string
		raw    bool
	}{
		{nil, false},
		{[]string{"main.deny"}, true},
		{[]string{"main.deny", "EKS-001"}, false},
		{[]string{"main.deny", "ORG-*"}, false},
	} {
		o, _ := options(t, []string{graphPolicies}, c.enable, []string{"../../examples/policies/testdata"}, false)
		r := Run(o)
		if len(r.Errors) > 0 {
			t.Fatalf("%v: %v", c.enable, r.Errors)
		}
		// Run trimmed the policies to those selected; the rules left are
		// the built-in rules not disabled.
		var rules []*rule.Rule
		off := map[string]bool{}
		for _, d := range o.Disabled {
			off[d.RuleID] = true
		}
		for _, b := range builtin.All() {
			if !off[b.ID] {
				rules = append(rules, b)
			}
		}
		if got := frontendOptions(o, rules).RawOnly; got != c.raw {
			t.Errorf("--rule %v: raw only %v, want %v", c.enable, got, c.raw)
		}
	}
}

// firstDiff shows where two texts part.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			lo := max(0, i-5)
			return "line " + itoa(i+1) + ":\n" + strings.Join(al[lo:min(len(al), i+5)], "\n") + "\n--- want ---\n" + strings.Join(bl[lo:min(len(bl), i+5)], "\n")
		}
	}
	return "lengths differ"
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

// planPolicy exercises what places and masks raw findings: paths into a
// resource's change, into a change but not its values, into the
// configuration, none; messages and print() output quoting values, some
// of them secret.
const planPolicy = `package plan

import rego.v1

deny contains {"msg": sprintf("public %s", [rc.address]), "path": ["resource_changes", i, "change", "after", "vpc_config", 0, "endpoint_public_access"]} if {
	some i, rc in input.resource_changes
	rc.type == "aws_eks_cluster"
	rc.change.after.vpc_config[_].endpoint_public_access == true
}

deny contains {"msg": sprintf("actions of %s", [rc.address]), "path": ["resource_changes", i, "change", "actions"]} if {
	some i, rc in input.resource_changes
	rc.type == "aws_kms_key"
}

warn contains {"msg": "configuration", "path": "configuration.root_module.module_calls"} if input.configuration.root_module.module_calls

warn contains sprintf("%s after %v", [rc.address, rc.change.after]) if {
	some rc in input.resource_changes
	rc.type in {"aws_secretsmanager_secret_version", "aws_instance", "aws_db_instance"}
	print(rc.address, rc.change.after)
}

violation contains sprintf("variable %v", [input.variables]) if input.variables
`

// secretPlan holds values masked by the plan's own marks (a sensitive
// variable, after_sensitive), by what the resource type says
// (secret_string), by the attribute's name (password), and a sensitive
// value repeated in a string that is not marked (user_data).
const secretPlan = `{
  "format_version": "1.2",
  "variables": {"db_password": {"value": "hunter2-Zq8"}},
  "resource_changes": [
    {"address": "aws_secretsmanager_secret_version.db", "mode": "managed", "type": "aws_secretsmanager_secret_version", "name": "db",
     "change": {"actions": ["create"], "after": {"secret_string": "s3cr3t-Yt6-value"}, "after_unknown": {"id": true}}},
    {"address": "aws_db_instance.app", "mode": "managed", "type": "aws_db_instance", "name": "app",
     "change": {"actions": ["create"], "after": {"engine": "postgres", "password": "Vx7qLm2Rt9pWz4Kd", "master_user_secret": []},
                "after_sensitive": {"password": true}, "after_unknown": {"id": true}}},
    {"address": "aws_instance.web", "mode": "managed", "type": "aws_instance", "name": "web",
     "change": {"actions": ["create"], "after": {"user_data": "export DB_PASSWORD=hunter2-Zq8"}, "after_unknown": {"id": true}}}
  ],
  "configuration": {"root_module": {"variables": {"db_password": {"sensitive": true}}}}
}`
