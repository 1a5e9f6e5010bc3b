package builtin

import (
	"fmt"
	"strings"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/rule"
)

var eksPublicCIDR = &rule.Rule{
	ID:       "EKS-002",
	Title:    "EKS cluster API endpoint is open to the whole internet",
	Severity: rule.High,
	Service:  "EKS",
	Types:    []string{"aws_eks_cluster"},
	Rationale: "With the public endpoint on and public_access_cidrs admitting the whole internet, anyone on the " +
		"internet can reach the Kubernetes API server and probe it with stolen or guessed credentials. EKS applies " +
		"0.0.0.0/0 when no block is given: when the list is not set, and when it is empty, in every format (the AWS " +
		"provider sends the list only when it is not empty, so EKS keeps its default; eksguard reads " +
		"CloudFormation's PublicAccessCidrs: [] the same way, as no block given: EKS documents 0.0.0.0/0 as the " +
		"default and has no list meaning \"no one\", which is EndpointPublicAccess: false). A cluster whose public endpoint is off passes whatever the CIDR list says. " +
		cidrDoc,
	Remediation: "Turn the public endpoint off (endpoint_public_access = false, endpoint_private_access = true), or " +
		"list only the egress ranges that must reach the API in public_access_cidrs.",
	Example: `resource "aws_eks_cluster" "this" {
  vpc_config {
    subnet_ids              = var.private_subnet_ids
    endpoint_private_access = true
    endpoint_public_access  = true
    public_access_cidrs     = ["203.0.113.0/24"] # office / CI egress only
  }
}`,
	References: []rule.Reference{RefSnykEKS, RefDevSecOps,
		bpg("identity-and-access-management", "_make_the_eks_cluster_endpoint_private", "Make the EKS Cluster Endpoint private"),
		cis("5.4.1", "Restrict Access to the Control Plane Endpoint"), tfdoc("aws_eks_cluster")},
	Run: func(p *rule.Pass) {
		for _, c := range p.Graph.OfType("aws_eks_cluster") {
			pub := rule.BoolOr(c.Get("vpc_config.endpoint_public_access"), true)
			if pub == rule.False {
				p.Pass(c, "vpc_config.endpoint_public_access")
				continue
			}
			cidrs := c.Get("vpc_config.public_access_cidrs")
			path := firstPresent(c, "vpc_config.public_access_cidrs", "vpc_config")
			open, src := eksPublicCIDRs(cidrs)
			switch rule.And(pub, open) {
			case rule.True:
				p.Fail(c, path, "the public API endpoint admits the whole internet (public_access_cidrs %s)", describeCIDRs(cidrs, src))
			case rule.False:
				p.Pass(c, path)
			default:
				why := "public access or public_access_cidrs is known only after apply; AWS uses 0.0.0.0/0 when the list is not set"
				if len(src.invalid) > 0 {
					why = src.why()
				}
				p.Unknown(c, path, "%s", why)
			}
		}
	},
}

// eksPublicCIDRs reads public_access_cidrs: true when the blocks together
// admit the internet, or when none is given (not set, or an empty list,
// which the AWS provider does not send), so EKS applies its default
// 0.0.0.0/0.
func eksPublicCIDRs(v *graph.Value) (rule.Tri, *cidrSources) {
	src := &cidrSources{}
	if v.IsNull() {
		return rule.True, src
	}
	src.add(v, famAny)
	switch {
	case src.set.internet():
		return rule.True, src
	case !src.known():
		return rule.TriUnknown, src
	case len(src.texts) == 0:
		return rule.True, src
	}
	return rule.False, src
}

func describeCIDRs(v *graph.Value, src *cidrSources) string {
	switch {
	case v.IsNull():
		return "not set: AWS default 0.0.0.0/0"
	case len(src.texts) == 0:
		return "is empty: no list is sent, and AWS applies its default 0.0.0.0/0"
	}
	return "includes " + src.describe()
}

var eksSecretsEncryption = &rule.Rule{
	ID:       "EKS-003",
	Title:    "EKS secrets are not envelope-encrypted with a KMS key",
	Severity: rule.High,
	Service:  "EKS",
	Types:    []string{"aws_eks_cluster"},
	Rationale: "Kubernetes stores Secrets in etcd. Envelope encryption with a customer KMS key adds a second layer: " +
		"whoever reads etcd data or its backups also needs the KMS key, and every decrypt is logged in CloudTrail " +
		"(Snyk's EKS hardening post, \"Encrypt your Secrets\"). Without an encryption_config block for \"secrets\" no such layer exists.",
	Remediation: "Add an encryption_config block with resources = [\"secrets\"] and provider.key_arn set to a customer " +
		"managed KMS key with rotation enabled.",
	Example: `resource "aws_kms_key" "eks" {
  description         = "EKS secrets envelope encryption"
  enable_key_rotation = true
}

resource "aws_eks_cluster" "this" {
  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = aws_kms_key.eks.arn
    }
  }
}`,
	References: []rule.Reference{RefSnykEKS, RefDevSecOps,
		bpg("data-encryption-and-secrets-management", "", "Data encryption and secrets management"),
		cis("5.3.1", "Ensure Kubernetes Secrets are encrypted using Customer Master Keys (CMKs) managed in AWS KMS"),
		tfdoc("aws_eks_cluster")},
	Run: func(p *rule.Pass) {
		for _, c := range p.Graph.OfType("aws_eks_cluster") {
			verdict, path := rule.False, firstPresent(c, "encryption_config")
			for _, ec := range c.Get("encryption_config").Items() {
				if ec.IsUnknown() {
					verdict = rule.Or(verdict, rule.TriUnknown)
					continue
				}
				res, unk := rule.Strings(ec.Get("resources"))
				hasSecrets := rule.Of(containsString(res, "secrets"))
				if unk && hasSecrets == rule.False {
					hasSecrets = rule.TriUnknown
				}
				verdict = rule.Or(verdict, rule.And(hasSecrets, keyConfigured(ec)))
			}
			p.Report(verdict.Not(), c, path,
				"no encryption_config encrypts \"secrets\" with a KMS key",
				"encryption_config is known only after apply")
		}
	},
}

// keyConfigured tells whether an encryption_config block names a KMS key.
// A key_arn computed from a reference (unknown until apply) is configured:
// what is unknown is which key, not whether there is one.
func keyConfigured(ec *graph.Value) rule.Tri {
	if ec.Get("provider").IsUnknown() {
		return rule.TriUnknown
	}
	key := ec.Get("provider", "key_arn")
	switch {
	case key.IsUnknown():
		return rule.True
	case key != nil && key.Kind == graph.String && key.Str != "":
		return rule.True
	}
	return rule.False
}

var eksKeyRotation = &rule.Rule{
	ID:       "EKS-004",
	Title:    "KMS key for EKS secrets encryption has rotation disabled",
	Severity: rule.Medium,
	Service:  "KMS",
	Types:    []string{"aws_eks_cluster", "aws_kms_key"},
	Rationale: "The key that protects the cluster's Secrets should rotate its key material yearly so a leaked data key " +
		"version has a bounded life. aws_kms_key leaves enable_key_rotation false unless set. A key referenced only by " +
		"ARN, defined outside the scanned code, gives an unknown verdict.",
	Remediation: "Set enable_key_rotation = true on the KMS key used in the cluster's encryption_config.",
	Example: `resource "aws_kms_key" "eks" {
  description         = "EKS secrets envelope encryption"
  enable_key_rotation = true
}`,
	References: []rule.Reference{RefAosEdge, RefSnykEKS,
		bpg("data-encryption-and-secrets-management", "", "Data encryption and secrets management"),
		awsdoc("AWS KMS: Rotate AWS KMS keys", "https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html"),
		tfdoc("aws_kms_key")},
	Run: func(p *rule.Pass) {
		for _, c := range p.Graph.OfType("aws_eks_cluster") {
			if c.Get("encryption_config").IsNull() || len(c.Get("encryption_config").Items()) == 0 {
				continue
			}
			keys := p.Graph.Targets(c, "encryption_config", "aws_kms_key")
			if len(keys) == 0 {
				p.Unknown(c, firstPresent(c, "encryption_config.provider.key_arn", "encryption_config"),
					"the secrets encryption key is not defined in the scanned code; its rotation cannot be checked")
				continue
			}
			for _, k := range keys {
				path := firstPresent(k, "enable_key_rotation")
				p.Report(rule.BoolOr(k.Get("enable_key_rotation"), false).Not(), k, path,
					fmt.Sprintf("key rotation is off on the KMS key encrypting the secrets of %s", c.Address),
					"enable_key_rotation is known only after apply")
			}
		}
	},
}

var allLogTypes = []string{"api", "audit", "authenticator", "controllerManager", "scheduler"}

// requireLogTypes builds the run function of a rule that wants every one of
// the given control-plane log types enabled.
func requireLogTypes(want []string, failFormat string) func(*rule.Pass) {
	return func(p *rule.Pass) {
		for _, c := range p.Graph.OfType("aws_eks_cluster") {
			types, unk := rule.Strings(c.Get("enabled_cluster_log_types"))
			var missing []string
			for _, t := range want {
				if !containsString(types, t) {
					missing = append(missing, t)
				}
			}
			path := firstPresent(c, "enabled_cluster_log_types")
			switch {
			case len(missing) == 0:
				p.Pass(c, path)
			case unk:
				p.Unknown(c, path, "enabled_cluster_log_types is known only after apply")
			default:
				p.Fail(c, path, failFormat, strings.Join(missing, ", "))
			}
		}
	}
}

var eksAuditLogs = &rule.Rule{
	ID:       "EKS-005",
	Title:    "EKS control-plane audit or authenticator logs are off",
	Severity: rule.Medium,
	Service:  "EKS",
	Types:    []string{"aws_eks_cluster"},
	Rationale: "The audit log records who did what through the Kubernetes API; the authenticator log maps IAM " +
		"identities to Kubernetes users. Without them an incident cannot be reconstructed and the cluster creator's " +
		"hidden admin rights (Snyk's EKS hardening post) leave no trail. No control-plane log type is enabled unless listed.",
	Remediation: "Include at least \"audit\" and \"authenticator\" in enabled_cluster_log_types, and give the " +
		"/aws/eks/<cluster>/cluster log group a retention period and a KMS key.",
	Example: `resource "aws_eks_cluster" "this" {
  enabled_cluster_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
}`,
	References: []rule.Reference{RefConveyor, RefDevSecOps, RefSnykEKS,
		bpg("auditing-and-logging", "", "Auditing and logging"),
		cis("2.1.1", "Enable audit Logs"), tfdoc("aws_eks_cluster")},
	Run: requireLogTypes([]string{"audit", "authenticator"}, "control-plane log types missing: %s"),
}

var eksAllLogs = &rule.Rule{
	ID:       "EKS-006",
	Title:    "EKS control-plane logging does not cover all log types",
	Severity: rule.Low,
	Service:  "EKS",
	Types:    []string{"aws_eks_cluster"},
	Rationale: "The api, controllerManager and scheduler logs complete the audit trail: they show failed API calls, " +
		"controller actions and scheduling decisions an investigation needs. The scanner in Snyk's EKS hardening post flags a cluster with " +
		"only audit and authenticator as \"control plane logging insufficient\".",
	Remediation: "Enable all five types: api, audit, authenticator, controllerManager, scheduler.",
	Example: `resource "aws_eks_cluster" "this" {
  enabled_cluster_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
}`,
	References: []rule.Reference{RefSnykEKS,
		bpg("auditing-and-logging", "", "Auditing and logging"),
		awsdoc("Amazon EKS: Send control plane logs to CloudWatch Logs", "https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html"),
		tfdoc("aws_eks_cluster")},
	Run: requireLogTypes(allLogTypes, "control-plane log types not enabled: %s"),
}

var eksCreatorAdmin = &rule.Rule{
	ID:       "EKS-007",
	Title:    "EKS cluster creator is silently granted cluster-admin",
	Severity: rule.Medium,
	Service:  "EKS",
	Types:    []string{"aws_eks_cluster"},
	Rationale: "Unless bootstrap_cluster_creator_admin_permissions is false, EKS maps the IAM principal that created " +
		"the cluster to cluster-admin (system:masters). The mapping appears in no file, survives deletion and " +
		"re-creation of a role with the same name (Snyk's EKS hardening post), and often belongs to a person or a CI role. The EKS " +
		"API default is true, so an absent access_config fails.",
	Remediation: "Set access_config.bootstrap_cluster_creator_admin_permissions = false and grant administration " +
		"explicitly with an aws_eks_access_entry plus aws_eks_access_policy_association for a dedicated admin role.",
	Example: `resource "aws_eks_cluster" "this" {
  access_config {
    authentication_mode                         = "API"
    bootstrap_cluster_creator_admin_permissions = false
  }
}`,
	References: []rule.Reference{RefSnykEKS,
		bpg("identity-and-access-management", "iam-cluster-creator", "Remove the cluster-admin permissions from the cluster creator principal"),
		tfdoc("aws_eks_cluster")},
	Run: func(p *rule.Pass) {
		for _, c := range p.Graph.OfType("aws_eks_cluster") {
			v := c.Get("access_config.bootstrap_cluster_creator_admin_permissions")
			if ac := c.Get("access_config"); ac != nil && ac.Kind == graph.List && len(ac.List) > 1 {
				v = nil
			}
			p.Report(rule.BoolOr(v, true), c,
				firstPresent(c, "access_config.bootstrap_cluster_creator_admin_permissions", "access_config"),
				"the cluster creator keeps permanent cluster-admin (bootstrap_cluster_creator_admin_permissions is true or left at the EKS default true)",
				"bootstrap_cluster_creator_admin_permissions is known only after apply")
		}
	},
}

var eksConfigMapAuth = &rule.Rule{
	ID:       "EKS-008",
	Title:    "EKS cluster authenticates only through the aws-auth ConfigMap",
	Severity: rule.Medium,
	Service:  "EKS",
	Types:    []string{"aws_eks_cluster"},
	Rationale: "With authentication_mode CONFIG_MAP (the EKS default when access_config is absent) IAM-to-Kubernetes " +
		"mappings live only in the aws-auth ConfigMap: invisible to IAM tooling, editable by anyone who can write " +
		"that ConfigMap, and one typo away from locking everyone out. Access entries (API or API_AND_CONFIG_MAP) " +
		"are managed through the EKS API, audited in CloudTrail and visible in code.",
	Remediation: "Set access_config.authentication_mode = \"API\" (or \"API_AND_CONFIG_MAP\" while migrating) and " +
		"manage access with aws_eks_access_entry resources.",
	Example: `resource "aws_eks_cluster" "this" {
  access_config {
    authentication_mode                         = "API"
    bootstrap_cluster_creator_admin_permissions = false
  }
}`,
	References: []rule.Reference{RefSnykEKS,
		bpg("identity-and-access-management", "_cluster_access_manager", "Cluster Access Manager"),
		tfdoc("aws_eks_cluster")},
	Run: func(p *rule.Pass) {
		for _, c := range p.Graph.OfType("aws_eks_cluster") {
			mode, ok := rule.StringOr(c.Get("access_config.authentication_mode"), "CONFIG_MAP")
			path := firstPresent(c, "access_config.authentication_mode", "access_config")
			switch {
			case !ok:
				p.Unknown(c, path, "authentication_mode is known only after apply; EKS uses CONFIG_MAP when it is not set")
			case strings.EqualFold(mode, "CONFIG_MAP"):
				p.Fail(c, path, "authentication_mode is CONFIG_MAP: cluster access is managed only through the aws-auth ConfigMap")
			default:
				p.Pass(c, path)
			}
		}
	},
}
