package escalate

import (
	"fmt"
	"sort"
	"strings"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/iam"
	"github.com/eksguard/eksguard/internal/tri"
	"go.yaml.in/yaml/v3"
)

// eksMethods reach cluster-admin of an EKS cluster (access entries,
// aws-auth) and, from cluster-admin, the IAM roles pods and nodes carry.
var eksMethods = append(append([]Method{}, toClusterAdminMethods...), clusterAdminMethods...)

// toClusterAdminMethods lead from an identity to cluster-admin.
var toClusterAdminMethods = []Method{
	{
		Name: "eks:CreateAccessEntry+eks:AssociateAccessPolicy",
		Doc: "Create an access entry for itself on an EKS cluster (eks:CreateAccessEntry) and associate " +
			"AmazonEKSClusterAdminPolicy with it at cluster scope (eks:AssociateAccessPolicy); a cluster authenticating " +
			"only through aws-auth (CONFIG_MAP) also needs eks:UpdateClusterConfig.",
		Find: findCreateAccessEntry,
	},
	{
		Name: "eks:access-entry",
		Doc:  "Hold cluster-admin already: an access policy association of the code gives the principal AmazonEKSClusterAdminPolicy at cluster scope.",
		Find: findAccessEntry,
	},
	{
		Name: "aws-auth:system:masters",
		Doc:  "Hold cluster-admin already: the aws-auth ConfigMap of the code maps the principal's ARN to the system:masters group.",
		Find: findAwsAuth,
	},
}

// clusterAdminMethods lead from cluster-admin of a cluster to the IAM roles
// its pods and nodes can use. Their Find takes a cluster-admin node.
var clusterAdminMethods = []Method{
	{
		Name: "cluster-admin:irsa",
		Doc: "As cluster-admin, run a pod under a service account annotated with a role whose trust admits the cluster's " +
			"OIDC provider (IRSA); the sub and aud conditions only name a service account, which cluster-admin can create.",
		Find: findIRSA,
	},
	{
		Name: "cluster-admin:pod-identity",
		Doc:  "As cluster-admin, run a pod under the service account an EKS Pod Identity association of the cluster gives a role.",
		Find: findPodIdentity,
	},
	{
		Name: "cluster-admin:node-role",
		Doc:  "As cluster-admin, run a pod on a node of the cluster and take the node role's credentials from the instance metadata service.",
		Find: findNodeRole,
	},
}

// clusterAdminPolicy is the access policy that makes an access entry
// cluster-admin.
const clusterAdminPolicy = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"

// clusterARN returns a cluster's ARN and whether it is exact.
func (c *Context) clusterARN(cl *graph.Resource) (string, bool) {
	if cl == nil {
		return c.arnIn("eks", "cluster/"+unknownPart), false
	}
	if a, ok := knownString(cl.Get("arn")); ok {
		return a, true
	}
	name, ok := knownString(cl.Get("name"))
	if !ok {
		name = unknownPart
	}
	return c.arnIn("eks", "cluster/"+name), false
}

// authMode reads a cluster's authentication mode: whether it reads access
// entries (API) and aws-auth (CONFIG_MAP). Left out, the mode is
// CONFIG_MAP, as the EKS API and CloudFormation create clusters.
func authMode(cl *graph.Resource) (api, configMap tri.Tri) {
	if cl == nil {
		return tri.Unknown, tri.Unknown
	}
	mode, ok := cl.Get("access_config.authentication_mode").StringOr("CONFIG_MAP")
	if !ok {
		return tri.Unknown, tri.Unknown
	}
	return tri.Of(strings.HasPrefix(mode, "API")), tri.Of(strings.Contains(mode, "CONFIG_MAP"))
}

func findCreateAccessEntry(c *Context, from *Node) []Hop {
	id := from.Identity
	if id == nil || c.Allowed(id, "eks:CreateAccessEntry", "", nil).Allowed == tri.False {
		return nil
	}
	clusters := c.Graph.OfType("aws_eks_cluster")
	if len(clusters) == 0 {
		// No cluster in the code: cluster-admin of whichever cluster the
		// permission covers, when it covers any.
		clusters = []*graph.Resource{nil}
	}
	actx := map[string][]string{"eks:policyArn": {clusterAdminPolicy}, "eks:accessScope": {"cluster"}}
	var out []Hop
	for _, cl := range clusters {
		arn, exact := c.clusterARN(cl)
		entry := strings.Replace(arn, ":cluster/", ":access-entry/", 1) + "/" + unknownPart
		var create, assoc iam.Decision
		if cl == nil {
			// A cluster the code does not declare: only a permission on
			// every cluster counts.
			create = c.Allowed(id, "eks:CreateAccessEntry", arn, nil)
			assoc = c.Allowed(id, "eks:AssociateAccessPolicy", entry, actx)
		} else {
			create = c.allowedOn(id, "eks:CreateAccessEntry", arn, exact, nil)
			assoc = c.allowedOn(id, "eks:AssociateAccessPolicy", entry, false, actx)
		}
		t, grants := All(create, assoc)
		if t == tri.False {
			continue
		}
		detail := "creates an access entry for itself and associates AmazonEKSClusterAdminPolicy"
		api, _ := authMode(cl)
		if api != tri.True {
			upd := c.allowedOn(id, "eks:UpdateClusterConfig", arn, exact, nil)
			if api == tri.False {
				t2, g2 := All(upd)
				t = tri.And(t, t2)
				grants = append(grants, g2...)
				detail += ", after switching the cluster to API_AND_CONFIG_MAP authentication (eks:UpdateClusterConfig)"
			} else {
				// Whether the cluster reads access entries is not known.
				t = tri.And(t, tri.Unknown)
			}
		}
		if t == tri.False {
			continue
		}
		out = append(out, Hop{From: from, To: c.ClusterAdminNode(cl), Method: "eks:CreateAccessEntry+eks:AssociateAccessPolicy",
			Certain: t, Grants: dedup(grants), Detail: detail})
	}
	return out
}

// clusterOf returns the cluster a resource names in cluster_name; nil
// when it names none the code declares.
func (c *Context) clusterOf(r *graph.Resource) *graph.Resource {
	cls := c.Graph.Targets(r, "cluster_name", "aws_eks_cluster")
	if len(cls) == 1 {
		return cls[0]
	}
	return nil
}

// identitiesAt returns the users and roles attribute attr of r names, by
// reference or ARN.
func (c *Context) identitiesAt(r *graph.Resource, attr string) []*iam.Identity {
	var out []*iam.Identity
	seen := map[*iam.Identity]bool{}
	add := func(id *iam.Identity) {
		if id != nil && id.Kind != iam.Group && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	for _, t := range c.Graph.Targets(r, attr, "aws_iam_role", "aws_iam_user") {
		add(c.Model.ForResource(t))
	}
	if len(out) > 0 {
		return out
	}
	if arn, ok := knownString(r.Get(attr)); ok {
		for _, id := range c.Model.ByARN(arn) {
			add(id)
		}
	}
	return out
}

// adminGrant is standing cluster-admin of an identity, with the resource
// that gives it.
type adminGrant struct {
	cluster *graph.Resource
	via     *graph.Resource
	certain tri.Tri
	detail  string
}

type accessEntryAdminsKey struct{}

// accessEntryAdmins indexes the AmazonEKSClusterAdminPolicy associations
// at cluster scope by principal.
func (c *Context) accessEntryAdmins() map[*iam.Identity][]adminGrant {
	return graph.Memo(c.Graph, accessEntryAdminsKey{}, func() map[*iam.Identity][]adminGrant {
		m := map[*iam.Identity][]adminGrant{}
		for _, a := range c.Graph.OfType("aws_eks_access_policy_association") {
			pol, ok := knownString(a.Get("policy_arn"))
			if !ok || !strings.HasSuffix(pol, ":cluster-access-policy/AmazonEKSClusterAdminPolicy") {
				continue
			}
			if scope, ok := a.Get("access_scope.type").StringOr("cluster"); !ok || scope != "cluster" {
				continue
			}
			cl := c.clusterOf(a)
			for _, id := range c.identitiesAt(a, "principal_arn") {
				m[id] = append(m[id], adminGrant{cluster: cl, via: a, certain: tri.True,
					detail: fmt.Sprintf("%s associates AmazonEKSClusterAdminPolicy at cluster scope with %s", where(a), id.Label())})
			}
		}
		return m
	})
}

func findAccessEntry(c *Context, from *Node) []Hop {
	if from.Identity == nil {
		return nil
	}
	var out []Hop
	for _, g := range c.accessEntryAdmins()[from.Identity] {
		out = append(out, Hop{From: from, To: c.ClusterAdminNode(g.cluster), Method: "eks:access-entry", Certain: g.certain,
			Detail: g.detail})
	}
	return out
}

// awsAuthTypes are the shapes that write the aws-auth ConfigMap.
var awsAuthTypes = []string{"k8s:ConfigMap", "kubernetes_config_map", "kubernetes_config_map_v1", "kubernetes_config_map_v1_data"}

type awsAuthAdminsKey struct{}

// awsAuthAdmins indexes the identities aws-auth maps to system:masters.
// The ConfigMap names no cluster: with one cluster in the code it is that
// one's, otherwise some cluster's.
func (c *Context) awsAuthAdmins() map[*iam.Identity][]adminGrant {
	return graph.Memo(c.Graph, awsAuthAdminsKey{}, func() map[*iam.Identity][]adminGrant {
		m := map[*iam.Identity][]adminGrant{}
		var cluster *graph.Resource
		if cls := c.Graph.OfType("aws_eks_cluster"); len(cls) == 1 {
			cluster = cls[0]
		}
		_, reads := authMode(cluster)
		if cluster == nil {
			reads = tri.True
		}
		if reads == tri.False {
			return m
		}
		for _, r := range c.Graph.OfType(awsAuthTypes...) {
			name, _ := r.Get("metadata.name").StringOr("")
			ns, _ := r.Get("metadata.namespace").StringOr("default")
			if name != "aws-auth" || ns != "kube-system" {
				continue
			}
			for _, k := range []struct{ key, field string }{{"mapRoles", "rolearn"}, {"mapUsers", "userarn"}} {
				doc, ok := knownString(r.Get("data." + k.key))
				if !ok {
					continue
				}
				for _, arn := range mastersARNs(doc, k.field) {
					for _, id := range c.Model.ByARN(arn) {
						m[id] = append(m[id], adminGrant{cluster: cluster, via: r, certain: reads,
							detail: fmt.Sprintf("%s maps %s to system:masters in %s", where(r), arn, k.key)})
					}
				}
			}
		}
		return m
	})
}

// mastersARNs reads a mapRoles or mapUsers document and returns the ARNs
// mapped to system:masters. A document that does not parse maps nothing:
// the authenticator cannot read it either.
func mastersARNs(doc, field string) []string {
	var entries []map[string]any
	if err := yaml.Unmarshal([]byte(doc), &entries); err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		arn, _ := e[field].(string)
		if arn == "" {
			continue
		}
		var groups []any
		switch g := e["groups"].(type) {
		case []any:
			groups = g
		case string:
			groups = []any{g}
		}
		for _, g := range groups {
			if s, _ := g.(string); s == "system:masters" {
				out = append(out, arn)
				break
			}
		}
	}
	return out
}

func findAwsAuth(c *Context, from *Node) []Hop {
	if from.Identity == nil {
		return nil
	}
	var out []Hop
	for _, g := range c.awsAuthAdmins()[from.Identity] {
		out = append(out, Hop{From: from, To: c.ClusterAdminNode(g.cluster), Method: "aws-auth:system:masters",
			Certain: g.certain, Detail: g.detail})
	}
	return out
}

func findNodeRole(c *Context, from *Node) []Hop {
	if from.Kind != KindClusterAdmin {
		return nil
	}
	var out []Hop
	for _, ng := range c.Graph.OfType("aws_eks_node_group") {
		if c.clusterOf(ng) != from.Res {
			continue
		}
		for _, r := range c.rolesAt(ng, "node_role_arn") {
			out = append(out, Hop{From: from, To: c.IdentityNode(r), Method: "cluster-admin:node-role", Certain: tri.True,
				Detail: fmt.Sprintf("runs a pod on a node of %s and takes the node role %s of %s", clusterName(from.Res), r.Label(), where(ng))})
		}
	}
	return out
}

func findPodIdentity(c *Context, from *Node) []Hop {
	if from.Kind != KindClusterAdmin {
		return nil
	}
	var out []Hop
	add := func(via *graph.Resource, tied *graph.Resource, attr string) {
		if tied != from.Res {
			return
		}
		for _, r := range c.rolesAt(via, attr) {
			t, stmts := trustsService(r, []string{"pods.eks.amazonaws.com"})
			if t == tri.False {
				continue
			}
			out = append(out, Hop{From: from, To: c.IdentityNode(r), Method: "cluster-admin:pod-identity", Certain: t,
				Grants: stmts, Detail: fmt.Sprintf("runs a pod under the service account to which %s gives %s", where(via), r.Label())})
		}
	}
	for _, a := range c.Graph.OfType("aws_eks_pod_identity_association") {
		add(a, c.clusterOf(a), "role_arn")
	}
	for _, a := range c.Graph.OfType("aws_eks_addon") {
		add(a, c.clusterOf(a), "pod_identity_association.role_arn")
	}
	return out
}

func clusterName(cl *graph.Resource) string {
	if cl == nil {
		return "the cluster"
	}
	return cl.Address
}

// irsaTrust is a role whose trust admits an EKS OIDC provider, by the
// cluster the provider belongs to (nil: not knowable).
type irsaTrust struct {
	role *iam.Identity
	// clusters maps each cluster the trust admits (nil key: a provider
	// not tied to a declared cluster) to how certain that is.
	clusters map[*graph.Resource]tri.Tri
	stmts    []*iam.Statement
}

type irsaRolesKey struct{}

// irsaRoles finds the roles pods can assume with web identity.
func (c *Context) irsaRoles() []irsaTrust {
	return graph.Memo(c.Graph, irsaRolesKey{}, func() []irsaTrust {
		var out []irsaTrust
		annotated := map[*graph.Resource]bool{}
		for _, sa := range c.Graph.OfType("k8s:ServiceAccount") {
			for _, r := range c.Graph.Targets(sa, "metadata.annotations", "aws_iam_role") {
				annotated[r] = true
			}
		}
		for _, r := range c.Model.SortedIdentities() {
			if r.Kind != iam.Role || r.Trust == nil {
				continue
			}
			it := irsaTrust{role: r, clusters: map[*graph.Resource]tri.Tri{}}
			providers := c.oidcProviders(r.Res)
			if r.Trust.Unknown {
				// Not readable: a trust that refers to a provider, or a
				// role a service account names, may admit pods.
				for _, p := range providers {
					c.providerClusters(p, func(cl *graph.Resource, _ tri.Tri) { it.clusters[cl] = tri.Unknown })
				}
				if annotated[r.Res] && len(providers) == 0 {
					it.clusters[nil] = tri.Unknown
				}
				if len(it.clusters) > 0 {
					out = append(out, it)
				}
				continue
			}
			for _, st := range r.Trust.Statements {
				if !st.EffectUnknown && st.Effect != iam.Allow {
					continue
				}
				// The sub and aud conditions name a service account,
				// which cluster-admin can create: only the action counts.
				bare := *st
				bare.Conditions, bare.ConditionUnknown = nil, false
				act := bare.Matches(iam.Request{Action: "sts:AssumeRoleWithWebIdentity", AnyResource: true})
				if act == tri.False {
					continue
				}
				if st.EffectUnknown {
					act = tri.And(act, tri.Unknown)
				}
				fed := st.Principal.ByKind.Get("Federated")
				found := false
				set := func(cl *graph.Resource, t tri.Tri) {
					it.clusters[cl] = tri.Or(it.clusters[cl], tri.And(act, t))
					found = true
				}
				derived := false
				for _, v := range fed.Values {
					// A provider ARN derived from a cluster's issuer (its id
					// assigned at apply) is told apart by the references.
					if strings.Contains(v, iam.UnknownPart) {
						derived = true
						continue
					}
					if i := strings.Index(v, ":oidc-provider/"); i >= 0 && strings.HasPrefix(v[i+len(":oidc-provider/"):], "oidc.eks.") {
						c.byIssuer(v[i+len(":oidc-provider/"):], set)
					}
				}
				if fed.Unknown || st.Principal.Unknown || derived {
					for _, p := range providers {
						c.providerClusters(p, set)
					}
					if len(providers) == 0 && annotated[r.Res] {
						// A service account names the role; which provider
						// its trust admits is not knowable.
						set(nil, tri.Unknown)
					}
				}
				if found {
					it.stmts = append(it.stmts, st)
				}
			}
			if len(it.clusters) > 0 {
				out = append(out, it)
			}
		}
		return out
	})
}

// oidcProviders returns the OIDC providers a role's trust policy refers
// to, directly or through a policy document data source.
func (c *Context) oidcProviders(role *graph.Resource) []*graph.Resource {
	out := c.Graph.Targets(role, "assume_role_policy", "aws_iam_openid_connect_provider")
	for _, d := range c.Graph.Targets(role, "assume_role_policy") {
		if d.Type == "aws_iam_policy_document" {
			out = append(out, c.Graph.Targets(d, "", "aws_iam_openid_connect_provider")...)
		}
	}
	return out
}

// providerClusters tells which cluster an OIDC provider of the code
// belongs to: the cluster its url comes from, or, for a literal EKS issuer,
// the cluster with that issuer (not knowable when the cluster's issuer is
// known only after apply).
func (c *Context) providerClusters(p *graph.Resource, set func(*graph.Resource, tri.Tri)) {
	if cls := c.Graph.Targets(p, "url", "aws_eks_cluster"); len(cls) > 0 {
		for _, cl := range cls {
			set(cl, tri.True)
		}
		return
	}
	url, ok := knownString(p.Get("url"))
	if !ok {
		set(nil, tri.Unknown)
		return
	}
	if host := strings.TrimPrefix(url, "https://"); strings.HasPrefix(host, "oidc.eks.") {
		c.byIssuer(host, set)
	}
}

// byIssuer ties an EKS issuer (oidc.eks.<region>.amazonaws.com/id/<ID>)
// to the declared cluster that has it; when no declared cluster's issuer
// is known to differ, it may be any of them.
func (c *Context) byIssuer(host string, set func(*graph.Resource, tri.Tri)) {
	matched := false
	for _, cl := range c.Graph.OfType("aws_eks_cluster") {
		iss, ok := knownString(cl.Get("identity.oidc.issuer"))
		switch {
		case ok && strings.TrimPrefix(iss, "https://") == host:
			set(cl, tri.True)
			matched = true
		case !ok:
			set(cl, tri.Unknown)
		}
	}
	if !matched {
		set(nil, tri.Unknown)
	}
}

func findIRSA(c *Context, from *Node) []Hop {
	if from.Kind != KindClusterAdmin {
		return nil
	}
	var out []Hop
	for _, it := range c.irsaRoles() {
		t, ok := it.clusters[from.Res]
		if !ok || t == tri.False {
			continue
		}
		out = append(out, Hop{From: from, To: c.IdentityNode(it.role), Method: "cluster-admin:irsa", Certain: t,
			Grants: it.stmts, Detail: fmt.Sprintf("runs a pod under a service account annotated with %s, whose trust admits "+
				"the OIDC provider of %s", it.role.Label(), clusterName(from.Res))})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].To.ID < out[j].To.ID })
	return out
}
