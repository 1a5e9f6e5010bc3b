// Package builtin holds eksguard's built-in rules. Each family lives in its
// own file as a slice of rule values; All gathers them in id order.
package builtin

import (
	"sort"

	"github.com/eksguard/eksguard/internal/rule"
)

// All returns every built-in rule, sorted by id.
func All() []*rule.Rule {
	var out []*rule.Rule
	for _, fam := range [][]*rule.Rule{eksRules, nodeRules, networkRules, k8sPodRules, k8sWorkloadRules, k8sNamespaceRules, k8sAccessRules, accountRules, cicdRules, iamPathRules, iamPolicyRules, iamTrustRules, dataS3Rules, dataStoreRules, dataSecretRules, networkEdgeRules, dataPolicyRules} {
		out = append(out, fam...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// ByID finds a rule by id, case-insensitively.
func ByID(id string) *rule.Rule {
	for _, r := range All() {
		if equalFold(r.ID, id) {
			return r
		}
	}
	return nil
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		ca, cb := a[i], b[i]
		if 'a' <= ca && ca <= 'z' {
			ca -= 'a' - 'A'
		}
		if 'a' <= cb && cb <= 'z' {
			cb -= 'a' - 'A'
		}
		if ca != cb {
			return false
		}
	}
	return true
}

// References shared by many rules. Seeds are named by file so a reader can
// open the source of the requirement.
var (
	seed000 = rule.Reference{Kind: "seed", Title: "seeds/000_42de76f41b95fec3.txt (Conveyor: minimal installation role, auditing)"}
	seed001 = rule.Reference{Kind: "seed", Title: "seeds/001_5e6d6dfcfd1b07c6.txt (DevSecOps settings: OIDC, private subnets, managed node groups, CVSS gate)"}
	seed002 = rule.Reference{Kind: "seed", Title: "seeds/002_c0970f5ca774a892.txt (Four steps for hardening Amazon EKS security)"}
	seed003 = rule.Reference{Kind: "seed", Title: "seeds/003_da03f1efe1e20e00.txt (AOS Edge: least privilege, KMS keys, secrets per path)"}
	seed004 = rule.Reference{Kind: "seed", Title: "seeds/004_5a540b96b9d8b8c0.txt (account aliases, CLI profiles, CI pipeline)"}
)

const bpgBase = "https://docs.aws.amazon.com/eks/latest/best-practices/"

func bpg(page, anchor, title string) rule.Reference {
	u := bpgBase + page + ".html"
	if anchor != "" {
		u += "#" + anchor
	}
	return rule.Reference{Kind: "eks-bpg", Title: "EKS Best Practices Guide: " + title, URL: u}
}

func cis(item, title string) rule.Reference {
	return rule.Reference{Kind: "cis-eks", Title: "CIS Amazon EKS Benchmark " + item + ": " + title}
}

func tfdoc(resource string) rule.Reference {
	return rule.Reference{Kind: "terraform", Title: "Terraform AWS provider: " + resource,
		URL: "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/" + trimAWS(resource)}
}

func awsdoc(title, url string) rule.Reference {
	return rule.Reference{Kind: "aws-docs", Title: title, URL: url}
}

func trimAWS(s string) string {
	if len(s) > 4 && s[:4] == "aws_" {
		return s[4:]
	}
	return s
}
