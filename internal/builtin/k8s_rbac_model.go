package builtin

import (
	"strconv"
	"strings"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/rule"
)

// RBAC objects come in two shapes: Kubernetes manifests (k8s:Role...,
// camelCase fields) and the Terraform kubernetes provider's resources
// (kubernetes_role_v1..., snake_case fields and repeated blocks). The
// helpers here read both so the RBAC rules are written once.

// rbacFields names the fields of one shape.
type rbacFields struct {
	Kind          string // the Kubernetes kind, for messages
	Rules         string // rules / rule
	Aggregation   string // aggregationRule / aggregation_rule
	APIGroups     string
	Resources     string
	Verbs         string
	ResourceNames string
	RoleRef       string // roleRef / role_ref
	Subjects      string // subjects / subject
}

var (
	rbacK8sFields = rbacFields{Rules: "rules", Aggregation: "aggregationRule", APIGroups: "apiGroups",
		Resources: "resources", Verbs: "verbs", ResourceNames: "resourceNames", RoleRef: "roleRef", Subjects: "subjects"}
	rbacTFFields = rbacFields{Rules: "rule", Aggregation: "aggregation_rule", APIGroups: "api_groups",
		Resources: "resources", Verbs: "verbs", ResourceNames: "resource_names", RoleRef: "role_ref", Subjects: "subject"}
)

// rbacShapes maps each resource type the RBAC rules read to its shape.
var rbacShapes = map[string]rbacFields{}

// rbacRoleTypes and rbacBindingTypes list those types, for Types and walks.
var rbacRoleTypes, rbacBindingTypes []string

func init() {
	add := func(list *[]string, kind string, tfTypes ...string) {
		f := rbacK8sFields
		f.Kind = kind
		rbacShapes["k8s:"+kind] = f
		*list = append(*list, "k8s:"+kind)
		for _, t := range tfTypes {
			f := rbacTFFields
			f.Kind = kind
			rbacShapes[t] = f
			*list = append(*list, t)
		}
	}
	add(&rbacRoleTypes, "Role", "kubernetes_role", "kubernetes_role_v1")
	add(&rbacRoleTypes, "ClusterRole", "kubernetes_cluster_role", "kubernetes_cluster_role_v1")
	add(&rbacBindingTypes, "RoleBinding", "kubernetes_role_binding", "kubernetes_role_binding_v1")
	add(&rbacBindingTypes, "ClusterRoleBinding", "kubernetes_cluster_role_binding", "kubernetes_cluster_role_binding_v1")
}

// rbacName is "ClusterRole ci-deployer" or "Role team-a/reader" for
// messages, from the object's own name rather than a Terraform label.
func rbacName(r *graph.Resource) string {
	f := rbacShapes[r.Type]
	name, ok := rule.StringOr(r.Get("metadata.name"), "")
	if !ok || name == "" {
		name = r.Name
	}
	if ns, ok := rule.StringOr(r.Get("metadata.namespace"), ""); ok && ns != "" && !strings.HasPrefix(f.Kind, "Cluster") {
		name = ns + "/" + name
	}
	return f.Kind + " " + name
}

// rbacBuiltin reports objects the API server creates and reconciles
// itself (cluster-admin, system:*). They appear when a cluster is dumped
// with kubectl get -o yaml, cannot be changed for long, and are not the
// platform team's to fix.
func rbacBuiltin(r *graph.Resource) bool {
	s, ok := rule.StringOr(labelValue(r, "kubernetes.io/bootstrapping"), "")
	return ok && s == "rbac-defaults"
}

// rbacRule is one rule (PolicyRule) of a Role or ClusterRole.
type rbacRule struct {
	V    *graph.Value
	Path string // dotted path within the resource: rules.2
	f    rbacFields
}

// At is the dotted path of a field of the rule.
func (r rbacRule) At(field string) string { return r.Path + "." + field }

// rbacPolicy is what a role's rules hold, or why they cannot be judged.
type rbacPolicy struct {
	Res   *graph.Resource
	Rules []rbacRule
	// Path is where the rules are written (rules / rule).
	Path string
	// UnknownPath is set when the rules, or whether the role is
	// aggregated, are known only after apply; it names what is unknown.
	UnknownPath string
	// Aggregated roles get their rules from the ClusterRoles their
	// selectors pick: the rules written on them are overwritten by the
	// controller.
	Aggregated bool
}

// rbacPolicies returns the rules of every Role and ClusterRole, skipping
// the API server's built-in ones.
func rbacPolicies(g *graph.Graph) []rbacPolicy {
	var out []rbacPolicy
	for _, r := range g.OfType(rbacRoleTypes...) {
		if rbacBuiltin(r) {
			continue
		}
		f := rbacShapes[r.Type]
		pol := rbacPolicy{Res: r, Path: f.Rules}
		agg := r.Get(f.Aggregation)
		switch {
		case agg.IsUnknown():
			pol.UnknownPath = f.Aggregation
		case !agg.IsNull() && len(agg.Items()) > 0:
			pol.Aggregated = true
		}
		list := r.Get(f.Rules)
		if list.IsUnknown() {
			pol.UnknownPath = f.Rules
		}
		for i, v := range list.Items() {
			pol.Rules = append(pol.Rules, rbacRule{V: v, Path: f.Rules + "." + strconv.Itoa(i), f: f})
		}
		out = append(out, pol)
	}
	return out
}

// match reads a list field of a rule and returns the entries that satisfy
// pred. An absent list matches nothing, as the API server reads it;
// unknown is true when the list or an entry is known only after apply.
func (r rbacRule) match(field string, pred func(string) bool) (hits []string, unknown bool) {
	v := r.V.Get(field)
	if v.IsUnknown() {
		return nil, true
	}
	// A lone string is read as a one-entry list.
	list, unk := rule.Strings(v)
	for _, s := range list {
		if pred(s) {
			hits = append(hits, s)
		}
	}
	return hits, unk
}

// has is match as a three-valued answer: true when a known entry matches.
func (r rbacRule) has(field string, pred func(string) bool) rule.Tri {
	hits, unk := r.match(field, pred)
	switch {
	case len(hits) > 0:
		return rule.True
	case unk:
		return rule.TriUnknown
	}
	return rule.False
}

// rbacAnyOf is a predicate matching the given names or the "*" wildcard.
func rbacAnyOf(names ...string) func(string) bool {
	return func(s string) bool {
		if s == "*" {
			return true
		}
		for _, n := range names {
			if s == n {
				return true
			}
		}
		return false
	}
}

// rbacSubject is one subject of a binding, as "ServiceAccount ci/deployer".
type rbacSubject struct {
	Kind, Name string
	Known      bool
}

func (s rbacSubject) String() string { return s.Kind + " " + s.Name }

// rbacSubjects reads the subjects of a binding. unknown is true when the
// list or a subject is known only after apply.
func rbacSubjects(r *graph.Resource) (out []rbacSubject, unknown bool) {
	f := rbacShapes[r.Type]
	list := r.Get(f.Subjects)
	if list.IsUnknown() {
		return nil, true
	}
	for _, s := range list.Items() {
		kind, ok1 := rule.StringOr(s.Get("kind"), "")
		name, ok2 := rule.StringOr(s.Get("name"), "")
		ns, ok3 := rule.StringOr(s.Get("namespace"), "")
		if !ok1 || !ok2 || !ok3 {
			unknown = true
			continue
		}
		if kind == "ServiceAccount" && ns != "" {
			name = ns + "/" + name
		}
		out = append(out, rbacSubject{Kind: kind, Name: name, Known: true})
	}
	return out, unknown
}
