package builtin

import (
	"github.com/eksguard/eksguard/internal/rule"
)

var eksRules = []*rule.Rule{
	eksPublicEndpoint, eksPublicCIDR, eksSecretsEncryption, eksKeyRotation, eksAuditLogs, eksAllLogs,
	eksCreatorAdmin, eksConfigMapAuth, eksAccessAdmin, eksVersion, eksCNINetpol, eksCNINodeRole,
}

var eksPublicEndpoint = &rule.Rule{
	ID:       "EKS-001",
	Title:    "EKS cluster API endpoint is publicly accessible",
	Severity: rule.Medium,
	Service:  "EKS",
	Types:    []string{"aws_eks_cluster"},
	Rationale: "A public endpoint exposes the Kubernetes API server to the internet. Requests are still " +
		"authenticated, but every credential leak, authenticator bug or brute-force attempt is one network hop " +
		"away. The Terraform AWS provider enables the public endpoint by default.",
	Remediation: "Set vpc_config.endpoint_public_access = false and endpoint_private_access = true, and reach " +
		"the API through the VPC (VPN, bastion, CI runners in the VPC). If public access is unavoidable, restrict " +
		"public_access_cidrs to known egress ranges.",
	Example: `resource "aws_eks_cluster" "this" {
  vpc_config {
    subnet_ids              = var.private_subnet_ids
    endpoint_private_access = true
    endpoint_public_access  = false
  }
}`,
	References: []rule.Reference{RefDevSecOps, RefSnykEKS,
		bpg("identity-and-access-management", "_make_the_eks_cluster_endpoint_private", "Make the EKS Cluster Endpoint private"),
		cis("5.4.2", "Ensure clusters are created with Private Endpoint Enabled and Public Access Disabled"),
		tfdoc("aws_eks_cluster")},
	Run: func(p *rule.Pass) {
		for _, c := range p.Graph.OfType("aws_eks_cluster") {
			v := c.Get("vpc_config.endpoint_public_access")
			path := "vpc_config.endpoint_public_access"
			if v == nil {
				path = "vpc_config"
			}
			p.Report(rule.BoolOr(v, true), c, path,
				"the cluster API endpoint is reachable from the internet (endpoint_public_access is true or left at the provider default true)",
				"endpoint_public_access is known only after apply")
		}
	},
}
