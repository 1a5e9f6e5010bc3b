package compliance

import (
	"github.com/eksguard/eksguard/internal/builtin"
	"github.com/eksguard/eksguard/internal/rule"
)

// Sources in output order: the practice sources, named and linked as the
// rules' references name them, then the sections of the guide.
var Sources = []Source{
	{Key: "conveyor", Refs: []rule.Reference{builtin.RefConveyor}},
	{Key: "devsecops", Refs: []rule.Reference{builtin.RefDevSecOps}},
	{Key: "snyk", Refs: []rule.Reference{builtin.RefSnykEKS}},
	{Key: "aosedge", Refs: []rule.Reference{builtin.RefAosEdge}},
	{Key: "badboysofdevops", Title: "badboysofdevops.com: AWS account aliases, CLI profiles and a secure CI deployment pipeline",
		Refs: []rule.Reference{builtin.RefAccountAlias, builtin.RefSecureCIPipeline}},
	{Key: "bpg iam", Title: "EKS Best Practices Guide: Identity and access management"},
	{Key: "bpg pod", Title: "EKS Best Practices Guide: Pod security"},
	{Key: "bpg tenant", Title: "EKS Best Practices Guide: Multi-tenancy (tenant isolation)"},
	{Key: "bpg detective", Title: "EKS Best Practices Guide: Auditing and logging (detective controls)"},
	{Key: "bpg network", Title: "EKS Best Practices Guide: Network security"},
	{Key: "bpg data", Title: "EKS Best Practices Guide: Data encryption and secrets management"},
	{Key: "bpg runtime", Title: "EKS Best Practices Guide: Runtime security"},
	{Key: "bpg infra", Title: "EKS Best Practices Guide: Protecting the infrastructure (hosts)"},
	{Key: "bpg image", Title: "EKS Best Practices Guide: Image security"},
	{Key: "bpg ir", Title: "EKS Best Practices Guide: Incident response and forensics"},
	{Key: "bpg compliance", Title: "EKS Best Practices Guide: Compliance"},
}

const (
	whyProcess = "an organisational process, not a setting in code"
	whyRuntime = "decided by what runs in the account or cluster, not by the scanned code"
)

// Catalogue lists every requirement, grouped by source in Sources order.
var Catalogue = []Requirement{
	// Conveyor documentation.
	{ID: "S000-1", Source: "conveyor", Text: "Installation role has only the access rights it needs (no admin, no service-wide wildcards)", Rules: []string{"IAM-001", "IAM-002", "IAM-005", "IAM-021"}},
	{ID: "S000-2", Source: "conveyor", Text: "Cross-account trust requires an external ID (confused deputy)", Rules: []string{"IAM-010"}},
	{ID: "S000-3", Source: "conveyor", Text: "Assuming the role requires a role session name, for auditing", Rules: []string{"IAM-011"}},
	{ID: "S000-4", Source: "conveyor", Text: "Role cannot create IAM policies or otherwise gain more access rights", Rules: []string{"IAM-003", "IAM-004", "IAM-030"}},
	{ID: "S000-5", Source: "conveyor", Text: "CloudTrail records every AWS API call for auditing", Rules: []string{"AUD-001", "AUD-002", "AUD-003", "AUD-004"}},
	{ID: "S000-6", Source: "conveyor", Text: "EKS audit log is enabled and kept in CloudWatch", Rules: []string{"EKS-005", "AUD-005"}},
	{ID: "S000-7", Source: "conveyor", Text: "People sign in through SSO, not long-lived IAM user keys", Rules: []string{"IAM-023", "ACC-003"}},
	{ID: "S000-8", Source: "conveyor", Text: "Security Hub CIS and FSBP standards are monitored", Why: "Security Hub results describe the live account; " + whyRuntime},
	{ID: "S000-9", Source: "conveyor", Text: "Dependencies are kept up to date (Dependabot); critical CVEs get a prompt release", Why: whyProcess},
	{ID: "S000-10", Source: "conveyor", Text: "GuardDuty agent may be installed on the cluster (opt-in)", Why: "GuardDuty runtime monitoring is enabled per account and region; " + whyRuntime},
	{ID: "S000-11", Source: "conveyor", Text: "Other controls eksguard ties to this source (rules citing it)", Rest: true},

	// The DevSecOps settings page.
	{ID: "S001-1", Source: "devsecops", Text: "No security tokens stored in pipelines; CI uses OIDC", Rules: []string{"CI-001", "CI-002", "IAM-013"}},
	{ID: "S001-2", Source: "devsecops", Text: "No service account tokens for authentication; workloads use OIDC (IRSA)", Rules: []string{"K8S-024", "IAM-014", "K8S-035"}},
	{ID: "S001-3", Source: "devsecops", Text: "Least privileged access to AWS resources", Rules: []string{"IAM-001", "IAM-002", "IAM-020", "IAM-021"}},
	{ID: "S001-4", Source: "devsecops", Text: "Cluster access through IAM roles and groups, no individual admin mappings", Rules: []string{"K8S-030", "EKS-009"}},
	{ID: "S001-5", Source: "devsecops", Text: "EKS cluster endpoint is private", Rules: []string{"EKS-001", "EKS-002"}},
	{ID: "S001-6", Source: "devsecops", Text: "Cluster is created with a dedicated IAM role", Rules: []string{"EKS-007"}},
	{ID: "S001-7", Source: "devsecops", Text: "Building blocks are installed in their own namespaces", Rules: []string{"K8S-006"}},
	{ID: "S001-8", Source: "devsecops", Text: "Default-deny network policy, except DNS queries", Rules: []string{"K8S-001", "K8S-002", "EKS-012"}},
	{ID: "S001-9", Source: "devsecops", Text: "Quotas limit CPU and memory per namespace", Rules: []string{"K8S-003", "K8S-004"}},
	{ID: "S001-10", Source: "devsecops", Text: "Control-plane audit logs are enabled", Rules: []string{"EKS-005", "EKS-006"}},
	{ID: "S001-11", Source: "devsecops", Text: "Logs are analysed with CloudWatch Logs Insights", Why: whyProcess},
	{ID: "S001-12", Source: "devsecops", Text: "Data at rest is encrypted", Rules: []string{"NODE-003", "DATA-022", "DATA-004", "DATA-010"}},
	{ID: "S001-13", Source: "devsecops", Text: "Kubernetes secrets are envelope-encrypted with AWS KMS", Rules: []string{"EKS-003", "EKS-004"}},
	{ID: "S001-14", Source: "devsecops", Text: "Nodes use an OS optimised for containers (EKS optimised AMI)", Rules: []string{"NODE-007"}},
	{ID: "S001-15", Source: "devsecops", Text: "Worker OS kept updated through EKS managed node groups", Rules: []string{"NODE-006"}},
	{ID: "S001-16", Source: "devsecops", Text: "Workers are deployed onto private subnets", Rules: []string{"NODE-004", "NET-001"}},
	{ID: "S001-17", Source: "devsecops", Text: "kube-bench runs periodically in the pipeline", Why: "a schedule, not a setting; eksguard gates kube-bench reports given as input, but no rule can see that it runs"},
	{ID: "S001-18", Source: "devsecops", Text: "Critical CVSS (9.0-10.0) not allowed, high analysed (OWASP dependency check)", Why: "applied by the gate to imported scanner reports, not by a rule on code"},
	{ID: "S001-19", Source: "devsecops", Text: "Environments built from IaC only; terraform plan reviewed; API tests and OWASP Top 10 tests", Why: whyProcess},
	{ID: "S001-20", Source: "devsecops", Text: "Public APIs have rate limits and DDoS protection; environment actively monitored", Why: "WAF, Shield and monitoring are run-time services outside the rules; " + whyRuntime},
	{ID: "S001-21", Source: "devsecops", Text: "Other EKS best practices the page follows generally (rules citing it)", Rest: true},

	// Snyk: four steps for hardening EKS.
	{ID: "S002-1", Source: "snyk", Text: "Know who deployed the cluster: the creator is not silently cluster-admin", Rules: []string{"EKS-007", "EKS-008"}},
	{ID: "S002-2", Source: "snyk", Text: "Only a dedicated deployment role is mapped to system:masters / cluster-admin", Rules: []string{"K8S-030", "K8S-031", "EKS-009"}},
	{ID: "S002-3", Source: "snyk", Text: "Node role carries only the worker node policies", Rules: []string{"IAM-022"}},
	{ID: "S002-4", Source: "snyk", Text: "VPC CNI permissions on the aws-node service account (IRSA), not the node role", Rules: []string{"EKS-013"}},
	{ID: "S002-5", Source: "snyk", Text: "Pods cannot reach the node role through the instance metadata service", Rules: []string{"NODE-001", "NODE-002"}},
	{ID: "S002-6", Source: "snyk", Text: "Secrets in etcd are envelope-encrypted with a KMS key", Rules: []string{"EKS-003", "EKS-004"}},
	{ID: "S002-7", Source: "snyk", Text: "Worker root volumes are encrypted", Rules: []string{"NODE-003"}},
	{ID: "S002-8", Source: "snyk", Text: "Instances get no public IPs automatically", Rules: []string{"NET-001", "NODE-004"}},
	{ID: "S002-9", Source: "snyk", Text: "Control-plane logging covers every log type", Rules: []string{"EKS-005", "EKS-006"}},
	{ID: "S002-10", Source: "snyk", Text: "Clusters separated into their own AWS accounts", Why: "account layout is organisational; the scanned code does not show it"},
	{ID: "S002-11", Source: "snyk", Text: "Other controls eksguard ties to this source (rules citing it)", Rest: true},

	// AosEdge documentation.
	{ID: "S003-1", Source: "aosedge", Text: "Each pod has its own least-privilege role (IRSA scoped to its service account)", Rules: []string{"IAM-014", "K8S-035", "IAM-002"}},
	{ID: "S003-2", Source: "aosedge", Text: "Workloads need no root privileges", Rules: []string{"K8S-010", "K8S-015", "K8S-018"}},
	{ID: "S003-3", Source: "aosedge", Text: "Secrets and keys are readable only on their own paths, not on *", Rules: []string{"IAM-020"}},
	{ID: "S003-4", Source: "aosedge", Text: "Administrator access only on the Terraform admin role", Rules: []string{"IAM-001", "IAM-021"}},
	{ID: "S003-5", Source: "aosedge", Text: "Resources are encrypted with the customer managed KMS key", Rules: []string{"DATA-004", "DATA-010", "DATA-042", "EKS-003"}},
	{ID: "S003-6", Source: "aosedge", Text: "S3 encryption is mandatory and TLS is enforced", Rules: []string{"DATA-004", "DATA-005"}},
	{ID: "S003-7", Source: "aosedge", Text: "EBS volumes and snapshots are encrypted", Rules: []string{"NODE-003", "DATA-022", "DATA-023"}},
	{ID: "S003-8", Source: "aosedge", Text: "No public resources: private buckets, CloudFront signed URLs, no public secrets or keys", Rules: []string{"DATA-001", "DATA-002", "DATA-003", "DATA-011", "DATA-020", "DATA-030"}},
	{ID: "S003-9", Source: "aosedge", Text: "Public load balancer allows no management access; NACLs and security groups restrict the rest", Rules: []string{"NET-002", "NET-004", "EKS-011"}},
	{ID: "S003-10", Source: "aosedge", Text: "Pods and instances use IMDSv2", Rules: []string{"NODE-001", "NODE-002"}},
	{ID: "S003-11", Source: "aosedge", Text: "Secrets live in Secrets Manager, not in plain text in code", Rules: []string{"DATA-050", "K8S-026"}},
	{ID: "S003-12", Source: "aosedge", Text: "Pod to AWS traffic encrypted through the Istio mesh", Why: "mesh mTLS is configured in Istio at run time; " + whyRuntime},
	{ID: "S003-13", Source: "aosedge", Text: "Other least-privilege and network controls eksguard ties to this source (rules citing it)", Rest: true},

	// badboysofdevops.com: account aliases, profiles, CI.
	{ID: "S004-1", Source: "badboysofdevops", Text: "Account alias follows <org>-<env>-<purpose>", Rules: []string{"ACC-001"}},
	{ID: "S004-2", Source: "badboysofdevops", Text: "CLI profile names tell the environment, like the aliases", Rules: []string{"ACC-004"}},
	{ID: "S004-3", Source: "badboysofdevops", Text: "Role profiles use MFA", Rules: []string{"ACC-002"}},
	{ID: "S004-4", Source: "badboysofdevops", Text: "No long-lived access keys in CLI files", Rules: []string{"ACC-003"}},
	{ID: "S004-5", Source: "badboysofdevops", Text: "CI holds no deployment rights or stored keys; deployment runs with its own role", Rules: []string{"CI-001", "CI-003"}},
	{ID: "S004-6", Source: "badboysofdevops", Text: "AWS Organizations separates test from production accounts", Why: "account layout is organisational; the scanned code does not show it"},

	// EKS Best Practices Guide: IAM.
	{ID: "BPG-IAM-1", Source: "bpg iam", Text: "Make the cluster endpoint private", Rules: []string{"EKS-001", "EKS-002"}, BPG: "identity-and-access-management#_make_the_eks_cluster_endpoint_private"},
	{ID: "BPG-IAM-2", Source: "bpg iam", Text: "Create the cluster with a dedicated IAM role", Rules: []string{"EKS-007"}, BPG: "identity-and-access-management#_create_the_cluster_with_a_dedicated_iam_role"},
	{ID: "BPG-IAM-3", Source: "bpg iam", Text: "Remove cluster-admin from the cluster creator", Rules: []string{"EKS-007"}, BPG: "identity-and-access-management#iam-cluster-creator"},
	{ID: "BPG-IAM-4", Source: "bpg iam", Text: "Manage access with Cluster Access Manager (access entries), least privilege", Rules: []string{"EKS-008", "EKS-009"}, BPG: "identity-and-access-management#_cluster_access_manager"},
	{ID: "BPG-IAM-5", Source: "bpg iam", Text: "Use IAM roles, not users, for cluster access; no system:masters mappings", Rules: []string{"K8S-030"}},
	{ID: "BPG-IAM-6", Source: "bpg iam", Text: "Least privileged access to AWS resources", Rules: []string{"IAM-001", "IAM-002", "IAM-003", "IAM-004", "IAM-021", "IAM-030"}},
	{ID: "BPG-IAM-7", Source: "bpg iam", Text: "Least privileged RBAC: no wildcards, bind/escalate/impersonate or secrets read", Rules: []string{"K8S-031", "K8S-032", "K8S-033", "K8S-034"}},
	{ID: "BPG-IAM-8", Source: "bpg iam", Text: "IRSA trust scoped to the service account", Rules: []string{"IAM-014", "K8S-035"}, BPG: "identity-and-access-management#_iam_roles_for_service_accounts_irsa"},
	{ID: "BPG-IAM-9", Source: "bpg iam", Text: "Disable auto-mounting of service account tokens", Rules: []string{"K8S-024"}, BPG: "identity-and-access-management#_disable_auto_mounting_of_service_account_tokens"},
	{ID: "BPG-IAM-10", Source: "bpg iam", Text: "Restrict pod access to the node instance profile (IMDSv2, hop limit 1)", Rules: []string{"NODE-001", "NODE-002"}, BPG: "identity-and-access-management#_restrict_access_to_the_instance_profile_assigned_to_the_worker_node"},
	{ID: "BPG-IAM-11", Source: "bpg iam", Text: "Give aws-node its own IRSA role", Rules: []string{"EKS-013"}, BPG: "identity-and-access-management#_update_the_aws_node_daemonset_to_use_irsa"},
	{ID: "BPG-IAM-12", Source: "bpg iam", Text: "Regularly audit access to the cluster", Why: whyProcess},

	// Pod security.
	{ID: "BPG-POD-1", Source: "bpg pod", Text: "Enforce Pod Security Standards with Pod Security Admission", Rules: []string{"K8S-005"}, BPG: "pod-security#_pod_security_standards_pss_and_pod_security_admission_psa"},
	{ID: "BPG-POD-2", Source: "bpg pod", Text: "Restrict privileged containers", Rules: []string{"K8S-010"}, BPG: "pod-security#_restrict_the_containers_that_can_run_as_privileged"},
	{ID: "BPG-POD-3", Source: "bpg pod", Text: "Do not run processes as root", Rules: []string{"K8S-018"}, BPG: "pod-security#_do_not_run_processes_in_containers_as_root"},
	{ID: "BPG-POD-4", Source: "bpg pod", Text: "Never mount the container runtime socket", Rules: []string{"K8S-014"}, BPG: "pod-security#_never_run_docker_in_docker_or_mount_the_socket_in_the_container"},
	{ID: "BPG-POD-5", Source: "bpg pod", Text: "Do not allow privilege escalation", Rules: []string{"K8S-015"}, BPG: "pod-security#_do_not_allow_privileged_escalation"},
	{ID: "BPG-POD-6", Source: "bpg pod", Text: "Drop Linux capabilities, add none", Rules: []string{"K8S-016", "K8S-017"}, BPG: "pod-security#_linux_capabilities"},
	{ID: "BPG-POD-7", Source: "bpg pod", Text: "Read-only root file system", Rules: []string{"K8S-020"}, BPG: "pod-security#_configure_your_images_with_read_only_root_file_system"},
	{ID: "BPG-POD-8", Source: "bpg pod", Text: "No host namespaces, hostPath or hostPort", Rules: []string{"K8S-011", "K8S-012", "K8S-013"}},
	{ID: "BPG-POD-9", Source: "bpg pod", Text: "Disable ServiceAccount token mounts", Rules: []string{"K8S-024"}, BPG: "pod-security#_disable_serviceaccount_token_mounts"},
	{ID: "BPG-POD-10", Source: "bpg pod", Text: "Set requests and limits", Rules: []string{"K8S-021"}},

	// Multi-tenancy.
	{ID: "BPG-TEN-1", Source: "bpg tenant", Text: "Separate tenants into namespaces", Rules: []string{"K8S-006"}, BPG: "tenant-isolation#_namespaces"},
	{ID: "BPG-TEN-2", Source: "bpg tenant", Text: "Isolate namespaces with network policies", Rules: []string{"K8S-001"}, BPG: "tenant-isolation#_network_policies"},
	{ID: "BPG-TEN-3", Source: "bpg tenant", Text: "Quotas and limit ranges per namespace", Rules: []string{"K8S-003", "K8S-004"}, BPG: "tenant-isolation#_quotas"},
	{ID: "BPG-TEN-4", Source: "bpg tenant", Text: "Hard multi-tenancy: dedicated nodes or clusters per tenant", Why: "a tenancy model chosen by the organisation; no rule can tell tenants apart"},

	// Detective controls.
	{ID: "BPG-DET-1", Source: "bpg detective", Text: "Enable control-plane audit logs (all log types)", Rules: []string{"EKS-005", "EKS-006"}},
	{ID: "BPG-DET-2", Source: "bpg detective", Text: "Retain and encrypt control-plane logs", Rules: []string{"AUD-005", "AUD-006"}},
	{ID: "BPG-DET-3", Source: "bpg detective", Text: "Audit AWS API calls with CloudTrail", Rules: []string{"AUD-001", "AUD-002", "AUD-003", "AUD-004"}},
	{ID: "BPG-DET-4", Source: "bpg detective", Text: "Analyse logs with Logs Insights and alert on suspicious events", Why: whyProcess},
	{ID: "BPG-DET-5", Source: "bpg detective", Text: "GuardDuty EKS audit log monitoring", Why: "GuardDuty is enabled per account and region; " + whyRuntime},

	// Network security.
	{ID: "BPG-NET-1", Source: "bpg network", Text: "Create a default deny policy", Rules: []string{"K8S-001"}, BPG: "network-security#_create_a_default_deny_policy"},
	{ID: "BPG-NET-2", Source: "bpg network", Text: "Allow DNS queries", Rules: []string{"K8S-002"}, BPG: "network-security#_create_a_rule_to_allow_dns_queries"},
	{ID: "BPG-NET-3", Source: "bpg network", Text: "Network policies are enforced (VPC CNI network policy)", Rules: []string{"EKS-012"}},
	{ID: "BPG-NET-4", Source: "bpg network", Text: "Security groups and NACLs admit no internet traffic to cluster, SSH or admin ports", Rules: []string{"EKS-011", "NODE-005", "NET-002", "NET-003", "NET-004", "NET-006"}},
	{ID: "BPG-NET-5", Source: "bpg network", Text: "VPC flow logs", Rules: []string{"NET-005"}},
	{ID: "BPG-NET-6", Source: "bpg network", Text: "Encryption in transit at load balancers and CDN", Rules: []string{"NET-007", "DATA-031"}},

	// Data encryption and secrets.
	{ID: "BPG-DATA-1", Source: "bpg data", Text: "Encrypt data at rest (EBS volumes, snapshots)", Rules: []string{"NODE-003", "DATA-022", "DATA-023"}},
	{ID: "BPG-DATA-2", Source: "bpg data", Text: "Envelope-encrypt Kubernetes secrets with KMS", Rules: []string{"EKS-003"}},
	{ID: "BPG-DATA-3", Source: "bpg data", Text: "Rotate customer managed keys", Rules: []string{"EKS-004", "DATA-021"}},
	{ID: "BPG-DATA-4", Source: "bpg data", Text: "Use an external secrets provider; no secrets in plain text", Rules: []string{"DATA-050", "K8S-026"}, BPG: "data-encryption-and-secrets-management#_use_an_external_secrets_provider"},
	{ID: "BPG-DATA-5", Source: "bpg data", Text: "Use volume mounts instead of environment variables", Rules: []string{"K8S-025"}, BPG: "data-encryption-and-secrets-management#_use_volume_mounts_instead_of_environment_variables"},

	// Runtime security.
	{ID: "BPG-RUN-1", Source: "bpg runtime", Text: "Use seccomp (RuntimeDefault)", Rules: []string{"K8S-019"}, BPG: "runtime-security#_seccomp"},
	{ID: "BPG-RUN-2", Source: "bpg runtime", Text: "GuardDuty runtime monitoring or a third-party runtime detector", Why: "agents and detectors run in the live cluster; " + whyRuntime},

	// Infrastructure.
	{ID: "BPG-INF-1", Source: "bpg infra", Text: "Use an OS optimised for containers", Rules: []string{"NODE-007"}},
	{ID: "BPG-INF-2", Source: "bpg infra", Text: "Keep the worker OS updated (managed node groups)", Rules: []string{"NODE-006"}},
	{ID: "BPG-INF-3", Source: "bpg infra", Text: "Minimise access to worker nodes; deploy them onto private subnets", Rules: []string{"NODE-004", "NODE-005", "NET-001"}},
	{ID: "BPG-INF-4", Source: "bpg infra", Text: "Run a supported Kubernetes version", Rules: []string{"EKS-010"}},
	{ID: "BPG-INF-5", Source: "bpg infra", Text: "Run kube-bench against CIS benchmarks", Why: "a check of live nodes; eksguard only gates kube-bench reports given as input"},

	// Image security.
	{ID: "BPG-IMG-1", Source: "bpg image", Text: "Scan images for vulnerabilities", Rules: []string{"DATA-040"}},
	{ID: "BPG-IMG-2", Source: "bpg image", Text: "Use immutable tags with ECR", Rules: []string{"DATA-041"}, BPG: "image-security#_use_immutable_tags_with_ecr"},
	{ID: "BPG-IMG-3", Source: "bpg image", Text: "Use curated images from trusted registries, pinned tags", Rules: []string{"K8S-022", "K8S-023"}, BPG: "image-security#_create_a_set_of_curated_images"},
	{ID: "BPG-IMG-4", Source: "bpg image", Text: "Sign images and verify signatures at admission", Why: "signatures and admission webhooks act on live images; " + whyRuntime},

	// Incident response and compliance.
	{ID: "BPG-IR-1", Source: "bpg ir", Text: "Have an incident response plan and practise it (game days, drills)", Why: whyProcess},
	{ID: "BPG-IR-2", Source: "bpg ir", Text: "Be able to isolate and capture compromised pods and nodes", Why: "forensics is done on the running cluster; " + whyRuntime},
	{ID: "BPG-COMP-1", Source: "bpg compliance", Text: "Collect compliance evidence with AWS Config, Security Hub or Audit Manager", Why: "evidence of the live account; " + whyRuntime},
}
