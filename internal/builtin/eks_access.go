package builtin

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/iam"
	"github.com/eksguard/eksguard/internal/rule"
)

var eksAccessAdmin = &rule.Rule{
	ID:       "EKS-009",
	Title:    "EKS access entry grants cluster-admin to a principal not designated as admin",
	Severity: rule.High,
	Service:  "EKS",
	Types:    []string{"aws_eks_access_policy_association", "aws_eks_access_entry"},
	Rationale: "AmazonEKSClusterAdminPolicy at cluster scope, or the system:masters group in an access entry, gives " +
		"full control of every namespace, secret and workload. system:masters in particular bypasses RBAC entirely " +
		"and cannot be limited later. Only the designated admin roles (--admin-principal) should hold it; CI and " +
		"workload roles should get namespace-scoped policies.",
	Remediation: "Associate a narrower access policy (AmazonEKSAdminPolicy/EditPolicy scoped to namespaces, or " +
		"ViewPolicy), never put system:masters in kubernetes_groups, and reserve AmazonEKSClusterAdminPolicy for " +
		"the break-glass admin role (pass it with --admin-principal).",
	Example: `resource "aws_eks_access_policy_association" "ci" {
  cluster_name  = aws_eks_cluster.this.name
  principal_arn = aws_iam_role.ci.arn
  policy_arn    = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy"
  access_scope {
    type       = "namespace"
    namespaces = ["apps"]
  }
}`,
	References: []rule.Reference{RefSnykEKS,
		bpg("identity-and-access-management", "_cluster_access_manager", "Cluster Access Manager"),
		cis("4.1.1", "Ensure that the cluster-admin role is only used where required"),
		tfdoc("aws_eks_access_policy_association")},
	Run: func(p *rule.Pass) {
		for _, a := range p.Graph.OfType("aws_eks_access_policy_association") {
			policy, ok := rule.StringOr(a.Get("policy_arn"), "")
			if !ok {
				p.Unknown(a, "policy_arn", "policy_arn is known only after apply")
				continue
			}
			if !strings.HasSuffix(policy, "/AmazonEKSClusterAdminPolicy") {
				p.Pass(a, "policy_arn")
				continue
			}
			scope, ok := rule.StringOr(a.Get("access_scope.type"), "cluster")
			if !ok {
				p.Unknown(a, "access_scope", "access_scope is known only after apply")
				continue
			}
			if scope != "cluster" {
				p.Pass(a, "access_scope.type")
				continue
			}
			judgeAdmin(p, a, "AmazonEKSClusterAdminPolicy at cluster scope")
		}
		for _, e := range p.Graph.OfType("aws_eks_access_entry") {
			groups, unk := rule.Strings(e.Get("kubernetes_groups"))
			switch {
			case containsString(groups, "system:masters"):
				judgeAdmin(p, e, "the system:masters group")
			case unk:
				p.Unknown(e, "kubernetes_groups", "kubernetes_groups is known only after apply")
			default:
				p.Pass(e, firstPresent(e, "kubernetes_groups"))
			}
		}
	},
}

// judgeAdmin decides whether the principal of an access entry or policy
// association is one of the designated admins.
func judgeAdmin(p *rule.Pass, r *graph.Resource, what string) {
	names := principalNames(p, r)
	if len(names) == 0 {
		p.Unknown(r, "principal_arn", "%s is granted to a principal known only after apply", what)
		return
	}
	for _, n := range names {
		for _, pat := range p.Config.AdminPrincipals {
			if globMatch(pat, n) {
				p.Pass(r, "principal_arn")
				return
			}
		}
	}
	p.Fail(r, "principal_arn", "%s is granted to %s, which is not a designated admin principal", what, names[0])
}

// principalNames returns what identifies the principal: its ARN when
// known, and the name of a referenced role or user.
func principalNames(p *rule.Pass, r *graph.Resource) []string {
	var out []string
	v := r.Get("principal_arn")
	if s, ok := rule.StringOr(v, ""); ok && s != "" {
		out = append(out, s)
	}
	targets := p.Graph.Targets(r, "principal_arn", "aws_iam_role", "aws_iam_user")
	if v.IsUnknown() {
		// Known but for the account: the ARN names the principal, read
		// with the account as any.
		if part := v.Partial(); part != "" && !strings.Contains(part, graph.GeneratedPlaceholder) {
			out = append(out, strings.ReplaceAll(part, graph.AccountPlaceholder, "*"))
		}
		// A value not known at all cannot be a principal whose ARN is
		// known (or known but for the account): the reference went
		// through a collection of entries. Of the others, only one alone
		// can be told to be it.
		if v.Partial() == "" {
			var could []*graph.Resource
			for _, t := range targets {
				if a := t.Get("arn"); a.IsNull() || (a.IsUnknown() && a.Partial() == "") {
					could = append(could, t)
				}
			}
			targets = could
		}
		if len(targets) > 1 {
			return out
		}
	}
	for _, t := range targets {
		if s, ok := rule.StringOr(t.Get("arn"), ""); ok && s != "" {
			out = append(out, s)
		}
		if s, ok := rule.StringOr(t.Get("name"), ""); ok && s != "" {
			out = append(out, s)
			kind := "role"
			if t.Type == "aws_iam_user" {
				kind = "user"
			}
			out = append(out, fmt.Sprintf("arn:aws:iam::*:%s/%s", kind, s))
		}
	}
	return out
}

// eksSupport is the Amazon EKS Kubernetes release calendar: the end of
// standard support and of extended support per minor version. Source: the
// Amazon EKS User Guide, "Understand the Kubernetes version lifecycle on
// EKS" (kubernetes-versions), read 2026-11-22. Standard support lasts 14
// months from the EKS release, extended support 12 more.
var eksSupport = []struct {
	minor             int
	standard, extends string
}{
	{23, "2023-10-11", "2024-10-11"},
	{24, "2024-01-31", "2025-01-31"},
	{25, "2024-05-01", "2025-05-01"},
	{26, "2024-06-11", "2025-06-11"},
	{27, "2024-07-24", "2025-07-24"},
	{28, "2024-11-26", "2025-11-26"},
	{29, "2025-03-23", "2026-03-23"},
	{30, "2025-07-23", "2026-07-23"},
	{31, "2025-11-26", "2026-11-26"},
	{32, "2026-03-23", "2027-03-23"},
	{33, "2026-07-29", "2027-07-29"},
	{34, "2026-12-02", "2027-12-02"},
	{35, "2027-03-27", "2028-03-27"},
}

// supportEnd returns the support dates of a "1.NN" version; ok is false
// for versions newer than the calendar. Versions older than it are long
// past both dates.
func supportEnd(version string) (standard, extended time.Time, known bool, err error) {
	var major, minor int
	if _, err := fmt.Sscanf(strings.TrimPrefix(version, "v"), "%d.%d", &major, &minor); err != nil || major != 1 {
		return time.Time{}, time.Time{}, false, fmt.Errorf("not a Kubernetes version: %q", version)
	}
	if minor < eksSupport[0].minor {
		// Older than the calendar: out of every kind of support. The zero
		// time marks it so the message can say so.
		return time.Time{}, time.Time{}, true, nil
	}
	for _, e := range eksSupport {
		if e.minor == minor {
			s, _ := time.Parse("2006-01-02", e.standard)
			x, _ := time.Parse("2006-01-02", e.extends)
			return s, x, true, nil
		}
	}
	return time.Time{}, time.Time{}, false, nil
}

var eksVersion = &rule.Rule{
	ID:       "EKS-010",
	Title:    "EKS Kubernetes version is past the end of standard support",
	Severity: rule.Medium,
	Service:  "EKS",
	Types:    []string{"aws_eks_cluster"},
	Rationale: "After its end of standard support a Kubernetes version gets only extended support (billed extra per " +
		"cluster hour) and, when that ends, AWS upgrades the cluster itself, on its schedule rather than yours. " +
		"Old versions also miss security fixes that only land upstream in supported releases. The rule judges the " +
		"version against an embedded copy of the EKS release calendar at today's date (--as-of to pin it). A " +
		"cluster without a version gets AWS's current default and passes.",
	Remediation: "Upgrade to a version in standard support, one minor version at a time, and plan upgrades before " +
		"the end-of-support date.",
	Example: `resource "aws_eks_cluster" "this" {
  version = "1.34"
}`,
	References: []rule.Reference{RefDevSecOps,
		bpg("cluster-upgrades", "", "Best practices for cluster upgrades"),
		awsdoc("Amazon EKS: Understand the Kubernetes version lifecycle on EKS", "https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html"),
		tfdoc("aws_eks_cluster")},
	Run: func(p *rule.Pass) {
		for _, c := range p.Graph.OfType("aws_eks_cluster") {
			v := c.Get("version")
			ver, ok := rule.StringOr(v, "")
			switch {
			case !ok:
				p.Unknown(c, "version", "the Kubernetes version is known only after apply")
				continue
			case ver == "":
				p.Pass(c, "")
				continue
			}
			std, ext, known, err := supportEnd(ver)
			if err != nil {
				p.Unknown(c, "version", "%v", err)
				continue
			}
			if known && std.IsZero() {
				p.Fail(c, "version", "Kubernetes %s is older than every version EKS supports (standard or extended)", ver)
				continue
			}
			if !known || p.Config.AsOf.Before(std) {
				p.Pass(c, "version")
				continue
			}
			if p.Config.AsOf.Before(ext) {
				p.Fail(c, "version", "Kubernetes %s left standard support on %s; extended support (extra cost) ends %s",
					ver, std.Format("2006-01-02"), ext.Format("2006-01-02"))
			} else {
				p.Fail(c, "version", "Kubernetes %s left standard support on %s and extended support on %s; AWS will upgrade it automatically",
					ver, std.Format("2006-01-02"), ext.Format("2006-01-02"))
			}
		}
	},
}

// clusterOf returns the clusters a resource belongs to, by reference or by
// equal cluster_name.
func clusterOf(p *rule.Pass, r *graph.Resource) []*graph.Resource {
	return p.Graph.Targets(r, "cluster_name", "aws_eks_cluster")
}

var networkPolicyTypes = []string{"k8s:NetworkPolicy", "kubernetes_network_policy", "kubernetes_network_policy_v1"}

var eksCNINetpol = &rule.Rule{
	ID:       "EKS-012",
	Title:    "NetworkPolicies are defined but the VPC CNI does not enforce them",
	Severity: rule.Medium,
	Service:  "EKS",
	Types:    []string{"aws_eks_addon", "aws_eks_cluster", "k8s:NetworkPolicy"},
	Rationale: "A NetworkPolicy is only a request: the CNI plugin enforces it. The Amazon VPC CNI ignores " +
		"NetworkPolicies unless its enableNetworkPolicy setting is \"true\", so the default-deny policies the DevSecOps settings page " +
		"asks for would silently do nothing. When the code defines NetworkPolicies but no vpc-cni add-on, the CNI " +
		"is managed elsewhere (or is another plugin) and the verdict is unknown. In a scan of several root modules " +
		"(one per example or environment), a NetworkPolicy counts for the clusters of the nearest root module " +
		"directory holding a cluster or vpc-cni add-on that it lies in, and one outside all of them for every cluster.",
	Remediation: "Set enableNetworkPolicy to \"true\" in the vpc-cni add-on's configuration_values, or run a CNI " +
		"that enforces policies (Calico, Cilium).",
	Example: `resource "aws_eks_addon" "vpc_cni" {
  cluster_name         = aws_eks_cluster.this.name
  addon_name           = "vpc-cni"
  configuration_values = jsonencode({ enableNetworkPolicy = "true" })
}`,
	References: []rule.Reference{RefDevSecOps,
		bpg("network-security", "", "Network security"),
		awsdoc("Amazon EKS: Limit pod traffic with Kubernetes network policies", "https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy.html"),
		tfdoc("aws_eks_addon")},
	Run: func(p *rule.Pass) {
		nps := p.Graph.OfType(networkPolicyTypes...)
		if len(nps) == 0 {
			return
		}
		// A NetworkPolicy concerns the clusters of the deployment it lies
		// in (the nearest root module directory holding a cluster or a
		// vpc-cni add-on); one outside all of them may be applied to any
		// cluster. Otherwise one example's policies would judge every
		// other example's cluster in a repository of examples.
		var cnis []*graph.Resource
		clusterDirs := map[string]bool{}
		for _, c := range p.Graph.OfType("aws_eks_cluster") {
			clusterDirs[deployDir(c)] = true
		}
		for _, a := range p.Graph.OfType("aws_eks_addon") {
			if name, ok := rule.StringOr(a.Get("addon_name"), ""); ok && name == "vpc-cni" {
				cnis = append(cnis, a)
				clusterDirs[deployDir(a)] = true
			}
		}
		withPolicies, anywhere := map[string]bool{}, false
		for _, np := range nps {
			if d := nearestDir(deployDir(np), clusterDirs); d != "" {
				withPolicies[d] = true
			} else {
				anywhere = true
			}
		}
		concerned := func(r *graph.Resource) bool { return anywhere || withPolicies[deployDir(r)] }
		covered := map[*graph.Resource]bool{}
		for _, a := range cnis {
			for _, c := range clusterOf(p, a) {
				covered[c] = true
			}
			if !concerned(a) {
				continue
			}
			cv := a.Get("configuration_values")
			s, ok := rule.StringOr(cv, "")
			if !ok {
				p.Unknown(a, "configuration_values", "configuration_values is known only after apply")
				continue
			}
			var conf map[string]any
			_ = json.Unmarshal([]byte(s), &conf)
			if fmt.Sprint(conf["enableNetworkPolicy"]) == "true" {
				p.Pass(a, "configuration_values")
			} else {
				p.Fail(a, firstPresent(a, "configuration_values"),
					"the vpc-cni add-on does not set enableNetworkPolicy = \"true\", so the NetworkPolicies in this code are not enforced")
			}
		}
		for _, c := range p.Graph.OfType("aws_eks_cluster") {
			if !covered[c] && concerned(c) {
				p.Unknown(c, "", "NetworkPolicies are defined but no vpc-cni add-on for this cluster is in the code; whether a CNI enforces them cannot be told")
			}
		}
	},
}

var eksCNINodeRole = &rule.Rule{
	ID:       "EKS-013",
	Title:    "VPC CNI permissions are on the node role instead of the aws-node service account",
	Severity: rule.Medium,
	Service:  "EKS",
	Types: []string{"aws_iam_role_policy_attachment", "aws_eks_node_group", "aws_launch_configuration", "aws_launch_template",
		"aws_iam_instance_profile", "aws_eks_addon", "aws_eks_pod_identity_association"},
	Rationale: "AmazonEKS_CNI_Policy lets its holder create, attach and modify network interfaces of any instance in " +
		"the account. On the node role every pod that can reach the instance metadata service inherits it (Snyk's " +
		"EKS hardening post). AWS recommends giving it to the aws-node service account through IRSA or EKS Pod Identity and " +
		"removing it from the node role. Whether aws-node has its own role is read from the add-on and associations " +
		"of the same root module.",
	Remediation: "Attach AmazonEKS_CNI_Policy to a dedicated role used by the vpc-cni add-on " +
		"(service_account_role_arn) or an aws_eks_pod_identity_association for kube-system/aws-node, and detach " +
		"it from the node role.",
	Example: `resource "aws_eks_addon" "vpc_cni" {
  cluster_name             = aws_eks_cluster.this.name
  addon_name               = "vpc-cni"
  service_account_role_arn = aws_iam_role.vpc_cni.arn # trusts system:serviceaccount:kube-system:aws-node
}`,
	References: []rule.Reference{RefSnykEKS,
		bpg("identity-and-access-management", "_update_the_aws_node_daemonset_to_use_irsa", "Update the aws-node daemonset to use IRSA"),
		awsdoc("Amazon EKS: Configure the Amazon VPC CNI plugin to use IRSA", "https://docs.aws.amazon.com/eks/latest/userguide/cni-iam-role.html"),
		tfdoc("aws_eks_addon")},
	Run: func(p *rule.Pass) {
		// Whether aws-node has its own identity, per deployment (root
		// module): another root's add-on or association is another
		// cluster's.
		separate := map[string]rule.Tri{}
		for _, a := range p.Graph.OfType("aws_eks_addon") {
			if name, _ := rule.StringOr(a.Get("addon_name"), ""); name != "vpc-cni" {
				continue
			}
			v := a.Get("service_account_role_arn")
			if v.IsUnknown() || (v != nil && v.Kind == graph.String && v.Str != "") {
				separate[deployDir(a)] = rule.True
			}
		}
		for _, pi := range p.Graph.OfType("aws_eks_pod_identity_association") {
			d := deployDir(pi)
			sa, ok1 := rule.StringOr(pi.Get("service_account"), "")
			ns, ok2 := rule.StringOr(pi.Get("namespace"), "")
			if ok1 && ok2 && sa == "aws-node" && ns == "kube-system" {
				separate[d] = rule.True
			} else if (!ok1 || !ok2) && separate[d] == rule.False {
				separate[d] = rule.TriUnknown
			}
		}
		nodeRoles := map[*graph.Resource]bool{}
		for _, ng := range p.Graph.OfType("aws_eks_node_group") {
			for _, r := range p.Graph.Targets(ng, "node_role_arn", "aws_iam_role") {
				nodeRoles[r] = true
			}
		}
		// Self-managed nodes carry their role through an instance profile
		// (the worker group of Snyk's EKS hardening post: the module attaches the CNI policy to
		// that profile's role).
		for _, lt := range p.Graph.OfType("aws_launch_configuration", "aws_launch_template") {
			for _, prof := range p.Graph.Targets(lt, "iam_instance_profile", "aws_iam_instance_profile") {
				for _, r := range p.Graph.Targets(prof, "role", "aws_iam_role") {
					nodeRoles[r] = true
				}
			}
		}
		for _, att := range p.Graph.OfType("aws_iam_role_policy_attachment") {
			pol, ok := iam.ARNOf(att.Get("policy_arn"))
			if !ok || !isCNIPolicyARN(pol) {
				continue
			}
			onNode := false
			for _, r := range p.Graph.Targets(att, "role", "aws_iam_role") {
				onNode = onNode || nodeRoles[r]
			}
			if !onNode {
				continue
			}
			switch separate[deployDir(att)] {
			case rule.True:
				// The add-on has its own identity; the node-role copy is
				// redundant but still grants every pod the policy.
				p.Fail(att, "policy_arn", "%s is still attached to the node role although aws-node has its own role; detach it", pol[strings.LastIndexByte(pol, '/')+1:])
			case rule.False:
				p.Fail(att, "policy_arn", "%s is attached to the node role and aws-node has no IRSA or Pod Identity role: every pod on the node can use it", pol[strings.LastIndexByte(pol, '/')+1:])
			default:
				p.Unknown(att, "policy_arn", "a pod identity association's service account is known only after apply")
			}
		}
		for _, ng := range p.Graph.OfType("aws_eks_node_group") {
			for _, r := range p.Graph.Targets(ng, "node_role_arn", "aws_iam_role") {
				hasCNI := false
				for _, att := range p.Graph.Sources(r, "role", "aws_iam_role_policy_attachment") {
					if pol, _ := iam.ARNOf(att.Get("policy_arn")); isCNIPolicyARN(pol) {
						hasCNI = true
					}
				}
				if !hasCNI {
					p.Pass(ng, "node_role_arn")
				}
			}
		}
	},
}
