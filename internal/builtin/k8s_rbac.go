package builtin

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/rule"
)

// k8sAccessRules check who may do what in the cluster: aws-auth mappings,
// RBAC roles and bindings, IRSA service accounts.
var k8sAccessRules = []*rule.Rule{k8sAwsAuthMasters, k8sClusterAdminBinding, k8sRBACWildcard, k8sRBACEscalation,
	k8sRBACSecrets, k8sIRSATrust}

var k8sAwsAuthMasters = &rule.Rule{
	ID:       "K8S-030",
	Title:    "aws-auth ConfigMap maps an IAM role or user to system:masters",
	Severity: rule.High,
	Service:  "Kubernetes",
	Types:    awsAuthTypes,
	Rationale: "Entries of mapRoles and mapUsers in the aws-auth ConfigMap (kube-system) turn IAM principals into " +
		"Kubernetes users and groups. system:masters is special: the API server lets its members do anything " +
		"before RBAC is consulted, so no Role, binding or admission of RBAC objects can narrow or revoke it, and " +
		"audit logs show only the mapped username, not who assumed the role. Snyk's EKS hardening post shows the same mapping made " +
		"silently for the cluster creator, and that it follows the role's name even after the role is recreated.",
	Remediation: "Map administrators to a group of your own bound to a ClusterRole (cluster-admin only for a " +
		"break-glass role), or move to EKS access entries (authentication_mode API) with " +
		"AmazonEKSClusterAdminPolicy reserved for the designated admin role.",
	Example: `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/eks-node
      username: system:node:{{EC2PrivateDNSName}}
      groups:
        - system:bootstrappers
        - system:nodes
    - rolearn: arn:aws:iam::111122223333:role/platform-operators
      username: platform-operator:{{SessionName}}
      groups:
        - platform-operators   # bound to a ClusterRole by a ClusterRoleBinding`,
	References: []rule.Reference{RefSnykEKS,
		bpg("identity-and-access-management", "_create_the_cluster_with_a_dedicated_iam_role", "Create the cluster with a dedicated IAM role"),
		bpg("identity-and-access-management", "_cluster_access_manager", "Cluster Access Manager"),
		cis("4.1.1", "Ensure that the cluster-admin role is only used where required"),
		awsdoc("Amazon EKS User Guide: Grant IAM users access to Kubernetes with a ConfigMap",
			"https://docs.aws.amazon.com/eks/latest/userguide/auth-configmap.html")},
	Run: runAwsAuthMasters,
}

var k8sClusterAdminBinding = &rule.Rule{
	ID:       "K8S-031",
	Title:    "cluster-admin ClusterRole bound to a user, group or service account",
	Severity: rule.High,
	Service:  "Kubernetes",
	Types:    rbacBindingTypes,
	Rationale: "cluster-admin allows every verb on every resource. Bound by a ClusterRoleBinding it covers the whole " +
		"cluster; bound by a RoleBinding it still gives full control of the namespace, including its Secrets and " +
		"RBAC. A token of any subject holding it is enough to take over what it covers. The API server's own " +
		"binding of cluster-admin to the system:masters group (seen when a cluster is dumped with kubectl) grants " +
		"nothing that group does not already have and is not reported.",
	Remediation: "Bind a ClusterRole or Role limited to what the subject does (the built-in admin, edit or view, or " +
		"your own); keep cluster-admin for a break-glass path that is audited.",
	Example: `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: ci-deployer
  namespace: shop
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: edit
subjects:
  - kind: ServiceAccount
    name: deployer
    namespace: ci`,
	References: []rule.Reference{
		cis("4.1.1", "Ensure that the cluster-admin role is only used where required"),
		bpg("identity-and-access-management", "_employ_least_privileged_access_when_creating_rolebindings_and_clusterrolebindings",
			"Employ least privileged access when creating RoleBindings and ClusterRoleBindings"),
		awsdoc("Kubernetes documentation: Using RBAC Authorization, user-facing roles",
			"https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles")},
	Run: runClusterAdminBinding,
}

var k8sRBACWildcard = &rule.Rule{
	ID:       "K8S-032",
	Title:    "Role or ClusterRole uses a wildcard in apiGroups, resources or verbs",
	Severity: rule.Medium,
	Service:  "Kubernetes",
	Types:    rbacRoleTypes,
	Rationale: "A \"*\" grants every current and future API group, resource or verb, including ones added later by " +
		"CRDs and new Kubernetes releases (escalate, bind, impersonate, Secrets). What a role allows can then no " +
		"longer be read from its definition. Aggregated ClusterRoles (aggregationRule) are not judged: the " +
		"controller overwrites their rules with those of the ClusterRoles their selectors pick, which are judged " +
		"themselves. The API server's built-in roles (label kubernetes.io/bootstrapping: rbac-defaults) are skipped.",
	Remediation: "List the API groups, resources and verbs the subject needs (audit2rbac can derive them from audit logs).",
	Example: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: deployer
  namespace: shop
rules:
  - apiGroups: ["apps"]
    resources: ["deployments"]
    verbs: ["get", "list", "watch", "create", "update", "patch"]`,
	References: []rule.Reference{
		cis("4.1.3", "Minimize wildcard use in Roles and ClusterRoles"),
		bpg("identity-and-access-management", "_employ_least_privileged_access_when_creating_rolebindings_and_clusterrolebindings",
			"Employ least privileged access when creating RoleBindings and ClusterRoleBindings")},
	Run: func(p *rule.Pass) {
		rbacJudgeRules(p, func(r *graph.Resource, rr rbacRule, n int) (rule.Tri, string, string) {
			f := rr.f
			var unknownField, firstField string
			var wild []string
			for _, field := range []string{f.APIGroups, f.Resources, f.Verbs} {
				hits, unk := rr.match(field, rbacWildcard)
				if len(hits) > 0 {
					if firstField == "" {
						firstField = field
					}
					wild = append(wild, strconv.Quote(hits[0])+" in "+field)
				}
				if unk && unknownField == "" {
					unknownField = field
				}
			}
			if len(wild) > 0 {
				return rule.True, rr.At(firstField), rbacName(r) + " rule " + strconv.Itoa(n) + " uses the wildcard " +
					strings.Join(wild, " and ") + "; list what the subject needs instead"
			}
			if unknownField != "" {
				return rule.TriUnknown, rr.At(unknownField), rbacName(r) + " rule " + strconv.Itoa(n) + " has " +
					unknownField + " known only after apply"
			}
			return rule.False, "", ""
		})
	},
}

// rbacWildcard matches "*" and the "*/subresource" form, which covers that
// subresource of every resource.
func rbacWildcard(s string) bool { return s == "*" || strings.HasPrefix(s, "*/") }

var k8sRBACEscalation = &rule.Rule{
	ID:       "K8S-033",
	Title:    "Role or ClusterRole grants bind, escalate or impersonate",
	Severity: rule.High,
	Service:  "Kubernetes",
	Types:    rbacRoleTypes,
	Rationale: "RBAC stops a subject from granting permissions it does not hold, unless it may bind or escalate " +
		"roles (rbac.authorization.k8s.io roles/clusterroles) or impersonate users, groups or service accounts. " +
		"Any of these lets the holder reach cluster-admin. \"*\" in verbs or resources grants them too. bind " +
		"confined with resourceNames to named roles (other than cluster-admin) is the intended way to delegate " +
		"role assignment and passes. Aggregated and built-in roles are skipped as in K8S-032.",
	Remediation: "Remove bind, escalate and impersonate (and the \"*\" that implies them); where a controller must " +
		"bind roles, restrict bind to the named roles with resourceNames.",
	Example: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: namespace-provisioner
rules:
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["rolebindings"]
    verbs: ["create", "get", "list"]
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["clusterroles"]
    verbs: ["bind"]
    resourceNames: ["edit", "view"]`,
	References: []rule.Reference{
		bpg("identity-and-access-management", "_employ_least_privileged_access_when_creating_rolebindings_and_clusterrolebindings",
			"Employ least privileged access when creating RoleBindings and ClusterRoleBindings"),
		cis("4.1.8", "Limit use of the Bind, Impersonate and Escalate permissions in the Kubernetes cluster"),
		awsdoc("Kubernetes documentation: Privilege escalation prevention and bootstrapping",
			"https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping"),
		awsdoc("Kubernetes documentation: RBAC good practices",
			"https://kubernetes.io/docs/concepts/security/rbac-good-practices/")},
	Run: func(p *rule.Pass) {
		rbacJudgeRules(p, func(r *graph.Resource, rr rbacRule, n int) (rule.Tri, string, string) {
			f := rr.f
			var granted []string
			var unknown bool
			for _, e := range rbacEscalations {
				verbHits, verbUnk := rr.match(f.Verbs, rbacAnyOf(e.verb))
				verb := rule.False
				switch {
				case len(verbHits) > 0:
					verb = rule.True
				case verbUnk:
					verb = rule.TriUnknown
				}
				limited := rule.False
				if e.verb == "bind" {
					limited = rr.bindLimited()
				}
				switch rule.And(verb, rr.has(f.APIGroups, rbacAnyOf(e.groups...)), rr.has(f.Resources, e.resources), limited.Not()) {
				case rule.True:
					g := e.verb
					if verbHits[0] == "*" {
						g += " (through verbs \"*\")"
					}
					granted = append(granted, g)
				case rule.TriUnknown:
					unknown = true
				}
			}
			switch {
			case len(granted) > 0:
				return rule.True, rr.At(f.Verbs), rbacName(r) + " rule " + strconv.Itoa(n) + " grants " +
					strings.Join(granted, ", ") + ": its holders can give themselves permissions they do not have"
			case unknown:
				return rule.TriUnknown, rr.Path, rbacName(r) + " rule " + strconv.Itoa(n) +
					" has verbs, apiGroups or resources known only after apply"
			}
			return rule.False, "", ""
		})
	},
}

// bindLimited reports whether a rule's resourceNames confine bind to
// named roles other than cluster-admin: the way RBAC lets a subject hand
// out chosen roles without being able to hand out any. escalate is not
// confined that way: escalating a named role can still add anything to it.
func (r rbacRule) bindLimited() rule.Tri {
	names, unk := rule.Strings(r.V.Get(r.f.ResourceNames))
	switch {
	case containsString(names, "cluster-admin"):
		return rule.False
	case unk:
		return rule.TriUnknown
	}
	return rule.Of(len(names) > 0)
}

// rbacEscalations are the verbs that bypass RBAC's escalation check, with
// the API groups and resources they act on.
var rbacEscalations = []struct {
	verb      string
	groups    []string
	resources func(string) bool
}{
	{"bind", []string{"rbac.authorization.k8s.io"}, rbacAnyOf("roles", "clusterroles")},
	{"escalate", []string{"rbac.authorization.k8s.io"}, rbacAnyOf("roles", "clusterroles")},
	{"impersonate", []string{"", "authentication.k8s.io"}, func(s string) bool {
		return rbacAnyOf("users", "groups", "serviceaccounts", "uids", "userextras")(s) || strings.HasPrefix(s, "userextras/")
	}},
}

var k8sRBACSecrets = &rule.Rule{
	ID:       "K8S-034",
	Title:    "Role or ClusterRole can read Secrets",
	Severity: rule.Medium,
	Service:  "Kubernetes",
	Types:    rbacRoleTypes,
	Rationale: "get, list and watch on secrets in the core API group return the secret values, including service " +
		"account tokens and credentials of other workloads; list and watch are as revealing as get and cover every " +
		"Secret of the namespace (of the cluster for a ClusterRoleBinding). \"*\" in verbs, resources or apiGroups " +
		"grants it too. A rule limited with resourceNames to named Secrets is the least-privilege form and passes. " +
		"Aggregated and built-in roles are skipped as in K8S-032.",
	Remediation: "Drop secrets from the rule, or limit it to get on the Secrets the workload needs with resourceNames; " +
		"prefer mounting Secrets into pods over reading them through the API.",
	Example: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: app-config-reader
  namespace: shop
rules:
  - apiGroups: [""]
    resources: ["secrets"]
    verbs: ["get"]
    resourceNames: ["shop-db-credentials"]`,
	References: []rule.Reference{
		bpg("identity-and-access-management", "_employ_least_privileged_access_when_creating_rolebindings_and_clusterrolebindings",
			"Employ least privileged access when creating RoleBindings and ClusterRoleBindings"),
		cis("4.1.2", "Minimize access to secrets"),
		awsdoc("Kubernetes documentation: RBAC good practices, listing secrets",
			"https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets")},
	Run: func(p *rule.Pass) {
		rbacJudgeRules(p, func(r *graph.Resource, rr rbacRule, n int) (rule.Tri, string, string) {
			f := rr.f
			verbs, verbUnk := rr.match(f.Verbs, rbacAnyOf("get", "list", "watch"))
			verb := rule.False
			switch {
			case len(verbs) > 0:
				verb = rule.True
			case verbUnk:
				verb = rule.TriUnknown
			}
			reads := rule.And(verb, rr.has(f.APIGroups, rbacAnyOf("")), rr.has(f.Resources, rbacAnyOf("secrets")))
			if reads == rule.False {
				return rule.False, "", ""
			}
			names := rr.V.Get(f.ResourceNames)
			list, unk := rule.Strings(names)
			switch {
			case len(list) > 0:
				return rule.False, "", ""
			case unk:
				return rule.TriUnknown, rr.At(f.ResourceNames), rbacName(r) + " rule " + strconv.Itoa(n) +
					" may read Secrets; its resourceNames are known only after apply"
			case reads == rule.TriUnknown:
				return rule.TriUnknown, rr.Path, rbacName(r) + " rule " + strconv.Itoa(n) +
					" has verbs, apiGroups or resources known only after apply"
			}
			msg := rbacName(r) + " rule " + strconv.Itoa(n) + " allows " + strings.Join(verbs, ", ") + " on Secrets"
			if !containsString(verbs, "get") {
				msg += " (list and watch return the values as get does)"
			}
			return rule.True, rr.At(f.Resources), msg
		})
	},
}

// rbacJudgeRules runs judge over each rule of every role: one verdict per
// offending or unknown rule, and a pass for a role with neither.
// Aggregated ClusterRoles get no verdict: their written rules are replaced
// by the controller with those of the roles they select, which are judged
// on their own.
func rbacJudgeRules(p *rule.Pass, judge func(r *graph.Resource, rr rbacRule, n int) (rule.Tri, string, string)) {
	for _, pol := range rbacPolicies(p.Graph) {
		r := pol.Res
		if pol.Aggregated {
			continue
		}
		if pol.UnknownPath != "" {
			p.Unknown(r, pol.UnknownPath, "%s has %s known only after apply", rbacName(r), pol.UnknownPath)
			continue
		}
		clean := true
		for n, rr := range pol.Rules {
			if rr.V.IsUnknown() {
				p.Unknown(r, rr.Path, "%s rule %d is known only after apply", rbacName(r), n)
				clean = false
				continue
			}
			t, path, msg := judge(r, rr, n)
			switch t {
			case rule.True:
				p.Fail(r, path, "%s", msg)
				clean = false
			case rule.TriUnknown:
				p.Unknown(r, path, "%s", msg)
				clean = false
			}
		}
		if clean {
			p.Pass(r, firstPresent(r, pol.Path, "metadata.name"))
		}
	}
}

func runClusterAdminBinding(p *rule.Pass) {
	for _, b := range p.Graph.OfType(rbacBindingTypes...) {
		f := rbacShapes[b.Type]
		namePath, kindPath := f.RoleRef+".name", f.RoleRef+".kind"
		name, ok := rule.StringOr(b.Get(namePath), "")
		if !ok {
			p.Unknown(b, namePath, "%s binds a role whose name is known only after apply", rbacName(b))
			continue
		}
		if name != "cluster-admin" {
			p.Pass(b, firstPresent(b, namePath, f.RoleRef))
			continue
		}
		kind, ok := rule.StringOr(b.Get(kindPath), "")
		if !ok {
			p.Unknown(b, kindPath, "%s binds a role named cluster-admin whose kind is known only after apply", rbacName(b))
			continue
		}
		if kind != "ClusterRole" {
			// A namespace's own Role that happens to be called cluster-admin.
			p.Pass(b, namePath)
			continue
		}
		subjects, unk := rbacSubjects(b)
		var others []string
		for _, s := range subjects {
			// system:masters passes authorization before RBAC is asked;
			// binding it grants nothing (the API server's own binding).
			if s.Kind != "Group" || s.Name != "system:masters" {
				others = append(others, s.String())
			}
		}
		switch {
		case len(others) > 0:
			scope := "every namespace of the cluster"
			if f.Kind == "RoleBinding" {
				ns, _ := rule.StringOr(b.Get("metadata.namespace"), "default")
				scope = "namespace " + ns
			}
			p.Fail(b, namePath, "%s gives cluster-admin (every verb on every resource) in %s to %s",
				rbacName(b), scope, strings.Join(others, ", "))
		case unk:
			p.Unknown(b, firstPresent(b, f.Subjects, namePath), "%s binds cluster-admin to subjects known only after apply", rbacName(b))
		default:
			p.Pass(b, namePath)
		}
	}
}

var k8sIRSATrust = &rule.Rule{
	ID:       "K8S-035",
	Title:    "IRSA role ARN of a ServiceAccount is malformed or its role's trust does not admit the ServiceAccount",
	Severity: rule.Medium,
	Service:  "Kubernetes",
	Types:    append(append([]string(nil), irsaServiceAccountTypes...), "aws_iam_role"),
	Rationale: "The eks.amazonaws.com/role-arn annotation makes the EKS pod identity webhook give the pods of a " +
		"ServiceAccount a web identity token for that role. A malformed ARN, or a role whose trust policy does " +
		"not admit system:serviceaccount:<namespace>:<name> in its :sub condition, fails only at run time: the " +
		"SDK then falls back to the next credentials in its chain, often the node role, so the pod runs with the " +
		"wrong permissions or none. The role is looked up among the scanned aws_iam_role resources by ARN, else " +
		"by name; a role outside the scan is reported unknown. A trust with no :sub condition admits any service " +
		"account (the IAM rules report that separately).",
	Remediation: "Fix the annotation to arn:<partition>:iam::<account>:role/<name>, or add the ServiceAccount's " +
		"subject to the role's trust policy (StringEquals on <provider>:sub, together with <provider>:aud = " +
		"sts.amazonaws.com).",
	Example: `resource "aws_iam_role" "payments_api" {
  name = "payments-api"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.eks.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "${local.oidc_host}:sub" = "system:serviceaccount:payments:api"
          "${local.oidc_host}:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: api
  namespace: payments
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/payments-api`,
	References: []rule.Reference{RefDevSecOps,
		bpg("identity-and-access-management", "_scope_the_iam_role_trust_policy_for_irsa_roles_to_the_service_account_name_namespace_and_cluster",
			"Scope the IAM Role trust policy for IRSA Roles to the service account name, namespace, and cluster"),
		bpg("identity-and-access-management", "_iam_roles_for_service_accounts_irsa", "IAM Roles for Service Accounts (IRSA)"),
		awsdoc("Amazon EKS User Guide: Assign IAM roles to Kubernetes service accounts",
			"https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html")},
	Run: runIRSATrust,
}

// irsaServiceAccountTypes are the ServiceAccount shapes: the manifest and
// the Terraform kubernetes provider's resources.
var irsaServiceAccountTypes = []string{"k8s:ServiceAccount", "kubernetes_service_account", "kubernetes_service_account_v1"}

const irsaAnnotation = "eks.amazonaws.com/role-arn"

// irsaRoleARNRE is an IAM role ARN: partition, 12-digit account, optional
// path, and a name of IAM's allowed characters.
var irsaRoleARNRE = regexp.MustCompile(`^arn:aws(-[a-z]+)*:iam::(?:[0-9]{12}|\$\{Account\}):role/(?:[\x21-\x7e]+/)*([A-Za-z0-9+=,.@_-]{1,64})$`)

// irsaRoles indexes the scanned IAM roles by ARN and by name. Roles with
// neither known are kept apart: any of them may be the one named.
type irsaRoles struct {
	byARN, byName map[string][]*graph.Resource
	unnamed       int
}

func indexIRSARoles(g *graph.Graph) irsaRoles {
	idx := irsaRoles{byARN: map[string][]*graph.Resource{}, byName: map[string][]*graph.Resource{}}
	for _, r := range g.OfType("aws_iam_role") {
		arn, okARN := rule.StringOr(r.Get("arn"), "")
		name, okName := rule.StringOr(r.Get("name"), "")
		if okARN && arn != "" {
			idx.byARN[arn] = append(idx.byARN[arn], r)
		}
		if okName && name != "" {
			idx.byName[name] = append(idx.byName[name], r)
		}
		if (!okARN || arn == "") && (!okName || name == "") {
			idx.unnamed++
		}
	}
	return idx
}

func runIRSATrust(p *rule.Pass) {
	var roles *irsaRoles
	for _, sa := range p.Graph.OfType(irsaServiceAccountTypes...) {
		ann := annotationValue(sa, irsaAnnotation)
		if ann.IsNull() {
			continue
		}
		ns, okNS := rule.StringOr(sa.Get("metadata.namespace"), "default")
		name, okName := rule.StringOr(sa.Get("metadata.name"), "")
		who := "ServiceAccount " + sa.Name
		if okNS && okName {
			who = "ServiceAccount " + ns + "/" + name
		}
		// An ARN known but for its account (the role's own, derived before
		// --account-id is given) still names the role.
		arn, _ := rule.StringOr(ann, "")
		if ann.IsUnknown() && ann.Partial() != "" && !strings.Contains(ann.Partial(), graph.GeneratedPlaceholder) {
			arn = ann.Partial()
		} else if ann.IsUnknown() {
			p.UnknownAt(sa, "metadata.annotations", ann.Range, "%s: %s is known only after apply", who, irsaAnnotation)
			continue
		}
		m := irsaRoleARNRE.FindStringSubmatch(arn)
		if m == nil {
			p.FailAt(sa, "metadata.annotations", ann.Range, "%s: %s %q is not an IAM role ARN (arn:<partition>:iam::<12-digit account>:role/[path/]<name>); "+
				"its pods get no role", who, irsaAnnotation, arn)
			continue
		}
		if !okNS || !okName {
			p.Unknown(sa, "metadata", "%s: its namespace or name is known only after apply, so the trust of %s cannot be checked", who, arn)
			continue
		}
		if roles == nil {
			idx := indexIRSARoles(p.Graph)
			roles = &idx
		}
		candidates := roles.byARN[arn]
		if len(candidates) == 0 {
			candidates = roles.byName[m[2]]
		}
		if len(candidates) == 0 {
			msg := "%s: role %s is not among the scanned IAM roles; scan its Terraform or CloudFormation to check its trust"
			if roles.unnamed > 0 {
				msg = "%s: role %s is not among the scanned IAM roles with a known name (some names are known only after apply)"
			}
			p.UnknownAt(sa, "metadata.annotations", ann.Range, msg, who, arn)
			continue
		}
		verdict, detail := irsaJudge(candidates, ns, name)
		switch verdict {
		case rule.True:
			p.PassAt(sa, "metadata.annotations", ann.Range)
		case rule.False:
			p.FailAt(sa, "metadata.annotations", ann.Range, "%s: the trust policy of role %s does not admit system:serviceaccount:%s:%s; %s",
				who, arn, ns, name, detail)
		default:
			p.UnknownAt(sa, "metadata.annotations", ann.Range, "%s: cannot tell whether role %s admits it: %s", who, arn, detail)
		}
	}
}

// irsaJudge decides whether the roles that may be the one named (usually
// one) admit the service account. detail explains a failure or unknown.
func irsaJudge(roles []*graph.Resource, ns, name string) (rule.Tri, string) {
	var verdicts []rule.Tri
	var details []string
	for _, role := range roles {
		doc, ok := trustPolicyText(role.Get("assume_role_policy"))
		if !ok {
			verdicts = append(verdicts, rule.TriUnknown)
			details = append(details, role.Address+" has a trust policy known only after apply")
			continue
		}
		tp, err := parseTrustPolicy(doc)
		if err != nil {
			verdicts = append(verdicts, rule.TriUnknown)
			details = append(details, role.Address+" has a trust policy that cannot be read: "+err.Error())
			continue
		}
		t, allowed := tp.admitsServiceAccount(ns, name)
		verdicts = append(verdicts, t)
		switch {
		case t == rule.TriUnknown:
			details = append(details, role.Address+" tests the sub claim with an operator this check does not evaluate")
		case t == rule.False && len(allowed) == 0:
			details = append(details, "it allows no sts:AssumeRoleWithWebIdentity from an EKS OIDC provider")
		case t == rule.False:
			details = append(details, "it allows "+strings.Join(allowed, "; "))
		}
	}
	// Several roles of that name (modules, accounts): a verdict only when
	// they agree.
	out := verdicts[0]
	for _, v := range verdicts[1:] {
		if v != out {
			out = rule.TriUnknown
		}
	}
	return out, strings.Join(details, "; ")
}
