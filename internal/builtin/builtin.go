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

// Practice sources: the public documents whose requirements the rules
// check, beside the EKS Best Practices Guide. Each is named by publisher and
// title, with its address where one is known (the DevSecOps page gives
// none). The compliance view groups its requirements by these same values.
var (
	// Conveyor's documentation of the role its installer assumes and how to
	// audit it.
	RefConveyor = rule.Reference{Kind: "vendor-docs", Title: "Conveyor documentation: Conveyor security on AWS",
		URL: "https://docs.conveyordata.com/background-information/conveyor-security"}
	// A platform team's table of the EKS security settings it applies (OIDC
	// in CI, private endpoint and subnets, managed node groups, a CVSS
	// gate); the page names neither its publisher nor its address.
	RefDevSecOps = rule.Reference{Kind: "team-page", Title: "DevSecOps: Security actions/settings (an EKS platform team's page; no publisher or address given)"}
	// Snyk's blog post on the cluster creator, node and deployment roles,
	// secret encryption and IaC scanning of an EKS plan.
	RefSnykEKS = rule.Reference{Kind: "blog", Title: "Snyk: Four steps for hardening Amazon EKS security",
		URL: "https://snyk.io/blog/hardening-amazon-eks-security/"}
	// AosEdge's documentation of the roles, keys and secrets of its EKS
	// deployment.
	RefAosEdge = rule.Reference{Kind: "vendor-docs", Title: "AosEdge documentation: Security for AOS Edge",
		URL: "https://docs.aosedge.tech/docs/aos-cloud/AWS/security"}
	// Two posts of one blog: account aliases and CLI profile names, and a CI
	// pipeline that holds no deployment rights. Only the first one's address
	// is known.
	RefAccountAlias = rule.Reference{Kind: "blog", Title: "badboysofdevops.com: AWS Account Alias as part of security (2019)",
		URL: "https://badboysofdevops.com/2019/02/aws-account-alias-as-part-of-security.html"}
	RefSecureCIPipeline = rule.Reference{Kind: "blog", Title: "badboysofdevops.com: Secure CI deployment pipeline at AWS pt 1: Theory (2018)"}
)

// PracticeSources lists the practice sources above.
func PracticeSources() []rule.Reference {
	return []rule.Reference{RefConveyor, RefDevSecOps, RefSnykEKS, RefAosEdge, RefAccountAlias, RefSecureCIPipeline}
}

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
