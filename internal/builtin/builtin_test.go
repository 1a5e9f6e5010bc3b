package builtin

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/frontend"
	"github.com/eksguard/eksguard/internal/frontend/cfn"
	"github.com/eksguard/eksguard/internal/graph"
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
	for _, fam := range [][]*rule.Rule{eksRules, nodeRules, networkRules, dataS3Rules, dataStoreRules, dataSecretRules, networkEdgeRules, dataPolicyRules} {
		out = append(out, fam...)
	}
	return out
}

// cfnTwinAbsent lists the infrastructure rules whose resources CloudFormation
// has no way to declare, with why; they keep their plan and HCL twins.
var cfnTwinAbsent = map[string]string{
	"DATA-022": "CloudFormation has no resource for the account's EBS encryption by default setting",
	"DATA-023": "CloudFormation has no EBS snapshot copy, snapshot import or AMI copy resource",
}

// TestTwins enforces that a rule gives the same verdicts on the same
// infrastructure whatever it is written in: every infrastructure rule's
// fixture directory has an hcl/ twin and a cfn/ twin. The plan files beside
// them and the HCL must yield the same (status, resource address) pairs;
// the plan files and the CloudFormation template the same (status, type,
// name) triples, names normalised (cfnTwinName) because a logical ID is
// written PublicDefault where Terraform writes public_default.
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

		if _, err := os.Stat(filepath.Join(dir, "cfn")); err != nil {
			if cfnTwinAbsent[r.ID] == "" {
				t.Errorf("%s: no CloudFormation twin in %s/cfn", r.ID, dir)
			}
			continue
		}
		planSet := cfnTwinVerdicts(t, r, dir, false)
		cfnSet := cfnTwinVerdicts(t, r, filepath.Join(dir, "cfn"), true)
		for _, ex := range cfnTwinExceptions[r.ID] {
			var ok bool
			switch {
			case ex.plan != "" && ex.cfn != "":
				planSet, ok = replaceOnce(planSet, ex.plan, ex.cfn)
			case ex.plan != "":
				planSet, ok = replaceOnce(planSet, ex.plan, "")
			default:
				cfnSet, ok = replaceOnce(cfnSet, ex.cfn, "")
			}
			if !ok {
				t.Errorf("%s: stale twin exception (plan %q, cfn %q): that verdict is not produced", r.ID, ex.plan, ex.cfn)
			}
		}
		sort.Strings(planSet)
		sort.Strings(cfnSet)
		if strings.Join(planSet, "\n") != strings.Join(cfnSet, "\n") {
			t.Errorf("%s: plan and CloudFormation twins disagree\nplan:\n  %s\ncfn:\n  %s", r.ID,
				strings.Join(planSet, "\n  "), strings.Join(cfnSet, "\n  "))
		}
	}
	if twins == 0 {
		t.Fatal("no twin fixtures found")
	}
}

// cfnTwinTypes: CloudFormation has a single standalone security group rule
// type per direction, mapped to aws_vpc_security_group_ingress_rule; the
// plan fixtures' aws_security_group_rule ingress rules are its twin.
var cfnTwinTypes = map[string]string{"aws_security_group_rule": "aws_vpc_security_group_ingress_rule"}

// cfnTwinExceptions are the differences CloudFormation cannot avoid, per
// rule. plan and cfn set: the plan verdict has this other name on the
// CloudFormation side. Only plan: CloudFormation cannot express the case.
// Only cfn: CloudFormation must add a resource the plan fixture does not
// have. Each one must still be produced, so none can go stale.
var cfnTwinExceptions = map[string][]struct{ plan, cfn string }{
	// CloudFormation associates access policies inside an
	// AWS::EKS::AccessEntry: each association of the plan fixture comes
	// with its access entry, which EKS-009 judges too (no
	// kubernetes_groups: pass).
	"EKS-009": {
		{cfn: "pass aws_eks_access_entry ci"},
		{cfn: "pass aws_eks_access_entry admin"},
		{cfn: "pass aws_eks_access_entry literal"},
		{cfn: "pass aws_eks_access_entry namespaced"},
		{cfn: "pass aws_eks_access_entry view"},
		{cfn: "pass aws_eks_access_entry external"},
	},
	// An AWS managed policy is attached in CloudFormation through the
	// role's ManagedPolicyArns: the attachment is a synthetic resource
	// named after the role (node), where the plan names it node_cni.
	"EKS-013": {{plan: "fail aws_iam_role_policy_attachment nodecni", cfn: "fail aws_iam_role_policy_attachment node"}},
	// CloudFormation has no provider configuration: the credentials a
	// Terraform provider block is written with have no twin.
	"DATA-050": {
		{plan: "fail aws aws"},
		{plan: "fail aws aws"},
		{plan: "pass kubernetes kubernetes"},
		{plan: "unknown github github"},
	},
	// CloudFormation cannot adopt or change a VPC's default security
	// group (Terraform's aws_default_security_group): only the VPC that
	// keeps AWS's rules has a twin.
	"NET-006": {
		{plan: "fail aws_default_security_group open"},
		{plan: "fail aws_default_security_group egressonly"},
		{plan: "pass aws_default_security_group closed"},
		{plan: "fail aws_default_security_group attached"},
		{plan: "unknown aws_default_security_group dynamic"},
		{plan: "pass aws_default_security_group adopted"},
	},
}

func replaceOnce(list []string, old, repl string) ([]string, bool) {
	for i, s := range list {
		if s == old {
			if repl == "" {
				return append(list[:i:i], list[i+1:]...), true
			}
			out := append([]string(nil), list...)
			out[i] = repl
			return out, true
		}
	}
	return list, false
}

// cfnTwinVerdicts scans the plan files directly in dir, or (all) every
// file under dir with its annotations blanked, and lists the rule's
// verdicts as "status type name".
func cfnTwinVerdicts(t *testing.T, r *rule.Rule, dir string, all bool) []string {
	t.Helper()
	tmp := t.TempDir()
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if !all && (strings.Contains(rel, string(filepath.Separator)) || !strings.HasSuffix(rel, ".json")) {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		_, clean := ruletest.ParseAnnotations(rel, data)
		dst := filepath.Join(tmp, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, clean, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	res := frontend.Load([]string{tmp}, frontend.Options{})
	var out []string
	for _, v := range rule.Run([]*rule.Rule{r}, res.Graph, fixtureConfig()) {
		typ := v.Resource.Type
		if a, ok := cfnTwinTypes[typ]; ok {
			typ = a
		}
		out = append(out, v.Status.String()+" "+typ+" "+cfnTwinName(v.Resource))
	}
	return out
}

// cfnTwinName is a resource's name plus instance key (this["gpu"] →
// thisgpu), or for CloudFormation its logical ID, which for the separate
// resources the front-end derives (Role.ManagedPolicyArns[0]) is the
// parent's; lower-cased, letters and digits only.
func cfnTwinName(r *graph.Resource) string {
	s := r.Name
	if i := strings.LastIndexByte(r.Address, '['); i > 0 && strings.HasSuffix(r.Address, "]") {
		s += r.Address[i:]
	}
	if r.Origin == cfn.Origin {
		s, _, _ = strings.Cut(r.Address, ".")
	}
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		if (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') {
			b.WriteRune(c)
		}
	}
	return b.String()
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
