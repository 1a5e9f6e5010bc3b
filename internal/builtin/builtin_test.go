package builtin

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/frontend"
	"github.com/eksguard/eksguard/internal/rule"
	"github.com/eksguard/eksguard/internal/rule/ruletest"
)

// TestRules runs each rule over its fixture directory testdata/<ID>.
func TestRules(t *testing.T) {
	for _, r := range All() {
		t.Run(r.ID, func(t *testing.T) {
			dir := filepath.Join("testdata", r.ID)
			if _, err := os.Stat(dir); err != nil {
				t.Fatalf("rule %s has no fixtures in %s", r.ID, dir)
			}
			exps := ruletest.Run(t, dir, fixtureConfig(), r)
			seen := map[rule.Status]bool{}
			for _, e := range exps {
				seen[e.Status] = true
			}
			for _, st := range []rule.Status{rule.StatusFail, rule.StatusPass, rule.StatusUnknown} {
				if !seen[st] {
					t.Errorf("rule %s: fixtures annotate no %s verdict; every rule needs failing, passing and unknown cases", r.ID, st)
				}
			}
		})
	}
}

func fixtureConfig() *rule.Config {
	return &rule.Config{AsOf: ruletest.AsOf, AdminPrincipals: []string{"arn:aws:iam::*:role/platform-admin"}}
}

// infraRules are the rules about AWS infrastructure, which Terraform plans,
// Terraform HCL and CloudFormation all describe.
func infraRules() []*rule.Rule {
	var out []*rule.Rule
	for _, fam := range [][]*rule.Rule{eksRules, nodeRules, networkRules} {
		out = append(out, fam...)
	}
	return out
}

// TestTwins enforces that a rule gives the same verdicts on the same
// infrastructure whatever it is written in: every infrastructure rule's
// fixture directory has an hcl/ twin, and the plan files beside it and the
// HCL must yield the same (status, resource address) pairs.
func TestTwins(t *testing.T) {
	twins := 0
	for _, r := range infraRules() {
		dir := filepath.Join("testdata", r.ID)
		if _, err := os.Stat(filepath.Join(dir, "hcl")); err != nil {
			t.Errorf("%s: no HCL twin in %s/hcl", r.ID, dir)
			continue
		}
		twins++
		planSide := verdicts(t, r, dir, false)
		hclSide := verdicts(t, r, filepath.Join(dir, "hcl"), true)
		if strings.Join(planSide, "\n") != strings.Join(hclSide, "\n") {
			t.Errorf("%s: plan and HCL twins disagree\nplan:\n  %s\nhcl:\n  %s", r.ID,
				strings.Join(planSide, "\n  "), strings.Join(hclSide, "\n  "))
		}
	}
	if twins == 0 {
		t.Fatal("no twin fixtures found")
	}
}

// verdicts scans the plan files directly in dir (topOnly) or all of dir
// and lists the rule's verdicts as "status address", sorted.
func verdicts(t *testing.T, r *rule.Rule, dir string, all bool) []string {
	t.Helper()
	tmp := t.TempDir()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	if all {
		paths = []string{copyTree(t, dir, tmp)}
	} else {
		for _, e := range entries {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
				continue
			}
			data, _ := os.ReadFile(filepath.Join(dir, e.Name()))
			_, clean := ruletest.ParseAnnotations(e.Name(), data)
			p := filepath.Join(tmp, e.Name())
			os.WriteFile(p, clean, 0o644)
			paths = append(paths, p)
		}
	}
	res := frontend.Load(paths, frontend.Options{})
	var out []string
	for _, v := range rule.Run([]*rule.Rule{r}, res.Graph, fixtureConfig()) {
		out = append(out, v.Status.String()+" "+v.Resource.Address)
	}
	sort.Strings(out)
	return out
}

func copyTree(t *testing.T, src, dst string) string {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}
