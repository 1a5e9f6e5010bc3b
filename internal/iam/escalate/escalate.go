// Package escalate computes IAM privilege-escalation paths before deploy:
// who can become whom (assume a role, act as another user, run code as a
// role, map themselves into a cluster) through which permissions, until a
// principal with administrator rights (or a chosen crown jewel) is reached.
//
// Each escalation method is a small value, like an analyzer: a name, its
// documentation, and a function that, for one principal, returns the hops
// it opens. The engine evaluates permissions with the iam package (explicit
// deny, boundaries, conditions three-valued) and searches the resulting
// graph breadth-first, so each reported path is a shortest one.
package escalate

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/eksguard/eksguard/internal/glob"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/iam"
	"github.com/eksguard/eksguard/internal/tri"
)

// NodeKind is what a node of the escalation graph is.
type NodeKind string

const (
	// KindIdentity is an IAM user, group or role (Node.Identity is set).
	KindIdentity NodeKind = "identity"
	// KindClusterAdmin is cluster-admin of an EKS cluster (Node.Res is the
	// cluster, or nil for a cluster the code does not declare).
	KindClusterAdmin NodeKind = "cluster-admin"
	// KindAdmin is the account administrator sink.
	KindAdmin NodeKind = "admin"
)

// Node is one vertex of the escalation graph.
type Node struct {
	ID       string
	Kind     NodeKind
	Label    string
	Identity *iam.Identity
	Res      *graph.Resource
	// modified marks the node of a principal after another gave it
	// administrator permissions (Identity is then a copy of it).
	modified bool
}

// Hop is one edge: From can become (or act as) To by Method.
type Hop struct {
	From, To *Node
	// Method names the escalation method ("iam:CreatePolicyVersion",
	// "sts:AssumeRole", "iam:PassRole+ec2:RunInstances").
	Method string
	// Certain is True when the permissions certainly allow it, unknown
	// when it hinges on what code cannot show (a condition, a resource
	// known only after apply). Never False: such hops are not made.
	Certain tri.Tri
	// Grants are the statements that allow the hop, the file:line a
	// finding cites for it.
	Grants []*iam.Statement
	// Detail says what the hop does, for reports ("creates a new default
	// version of policy deploy, attached to role ci").
	Detail string
}

// Method is one way to escalate.
type Method struct {
	Name string
	// Doc says what the method does and what it needs.
	Doc string
	// Variants are the labelled ways the method works; the hops it opens
	// carry one of their labels as Hop.Method. None: one variant labelled
	// Name.
	Variants []Variant
	// Find returns the hops the method opens from one identity.
	Find func(c *Context, from *Node) []Hop
}

// Variant is one labelled way a method works, as published escalation
// catalogues tell methods apart (PassRole with a training job is not
// PassRole with a notebook).
type Variant struct {
	// Label is the Hop.Method of the hops made this way
	// ("iam:PassRole+sagemaker:CreateTrainingJob").
	Label string
	// Catalog are the ids of the pathfinding.cloud paths it covers
	// ("sagemaker-002"), none when the catalogue has no such path.
	Catalog []string
	// Certain says what the code must show for such a hop to be certain.
	Certain string
}

// Labels returns the labels of a method's variants.
func (m Method) Labels() []string {
	if len(m.Variants) == 0 {
		return []string{m.Name}
	}
	out := make([]string, len(m.Variants))
	for i, v := range m.Variants {
		out[i] = v.Label
	}
	return out
}

// Config tunes an analysis.
type Config struct {
	// CrownJewels are ARN globs of principals treated as targets as well as
	// administrators.
	CrownJewels []string
	// Now is the evaluation time for date conditions.
	Now time.Time
}

// ConfigKey is a Config in comparable form, for the keys of what is
// computed from one (graph.Memo): equal keys, equal settings.
type ConfigKey struct{ now, crownJewels string }

// Key returns c's ConfigKey.
func (c Config) Key() ConfigKey {
	// UTC, so that one instant read in two zones is one key.
	return ConfigKey{now: c.Now.UTC().Format(time.RFC3339Nano), crownJewels: strings.Join(c.CrownJewels, "\x00")}
}

// Context is what a method's Find receives: the graph, the IAM model and
// helpers to evaluate permissions and create nodes.
type Context struct {
	Graph  *graph.Graph
	Model  *iam.Model
	Config Config
	nodes  map[string]*Node
	admin  *Node
	// pending are nodes a method created (a user in a group it joined)
	// whose own hops are still to be found.
	pending []*Node
	// adminOf caches isAdmin per identity.
	adminOf map[*iam.Identity]tri.Tri
	sorted  []*iam.Identity
	// byAction caches policiesFor by identity, then action;
	// boundaryAdmin boundaryAllowsAdmin. Methods ask one identity every
	// action in turn, so its actions are kept apart from the others' and
	// the last identity's are at hand (lastID, lastActions): one map of
	// every identity and action missed the cache at each question on a
	// large plan, and was rehashed at each doubling.
	byAction      map[*iam.Identity]map[string]iam.PolicySet
	lastID        *iam.Identity
	lastActions   map[string]iam.PolicySet
	boundaryAdmin map[*iam.Policy]tri.Tri
}

// sortedIdentities is the model's identities by kind and name, sorted once.
func (c *Context) sortedIdentities() []*iam.Identity {
	if c.sorted == nil {
		c.sorted = c.Model.SortedIdentities()
	}
	return c.sorted
}

// Allowed evaluates whether identity id may perform action on resource
// (an ARN, "" for any resource), returning the decision with the
// statements that allow it.
func (c *Context) Allowed(id *iam.Identity, action, resource string, ctx map[string][]string) iam.Decision {
	req := iam.Request{Action: action, Resource: resource, AnyResource: resource == "", Context: principalContext(id, ctx), Now: c.Config.Now}
	return iam.Evaluate(c.policiesFor(id, action), req)
}

// policiesFor is id's policy set reduced to the statements that may match
// action, computed once per identity and action: methods ask the same
// action of one principal against every other principal.
func (c *Context) policiesFor(id *iam.Identity, action string) iam.PolicySet {
	if id != c.lastID {
		c.lastActions = c.byAction[id]
		if c.lastActions == nil {
			c.lastActions = map[string]iam.PolicySet{}
			c.byAction[id] = c.lastActions
		}
		c.lastID = id
	}
	if ps, ok := c.lastActions[action]; ok {
		return ps
	}
	ps := id.Policies.ForAction(action)
	c.lastActions[action] = ps
	return ps
}

// principalContext adds what the request context says about the acting
// principal: a user's aws:username (policies scoped to
// user/${aws:username} let users manage only their own credentials); a
// role has none.
func principalContext(id *iam.Identity, ctx map[string][]string) map[string][]string {
	out := make(map[string][]string, len(ctx)+1)
	for k, v := range ctx {
		out[k] = v
	}
	if _, set := out["aws:username"]; !set {
		switch id.Kind {
		case iam.User:
			out["aws:username"] = []string{id.Name}
		case iam.Role:
			out["aws:username"] = nil
		}
	}
	return out
}

// All combines decisions that must all hold (CreateFunction and PassRole):
// certainty is their conjunction and the grants are gathered.
func All(ds ...iam.Decision) (tri.Tri, []*iam.Statement) {
	t := tri.True
	var grants []*iam.Statement
	for _, d := range ds {
		t = tri.And(t, d.Allowed)
		grants = append(grants, allowsOnly(d)...)
	}
	return t, grants
}

func allowsOnly(d iam.Decision) []*iam.Statement {
	var out []*iam.Statement
	for _, s := range d.Allows {
		if s.EffectUnknown || s.Effect == iam.Allow {
			out = append(out, s)
		}
	}
	return out
}

// IdentityNode returns the node of an identity.
func (c *Context) IdentityNode(id *iam.Identity) *Node {
	key := "identity:" + id.Res.Address + "@" + id.Res.Range.File
	if n := c.nodes[key]; n != nil {
		return n
	}
	n := &Node{ID: key, Kind: KindIdentity, Label: id.Label(), Identity: id, Res: id.Res}
	c.nodes[key] = n
	return n
}

// ClusterAdminNode returns the node standing for cluster-admin of an EKS
// cluster (nil cluster: one the code does not declare).
func (c *Context) ClusterAdminNode(cluster *graph.Resource) *Node {
	key, label := "cluster-admin:?", "cluster-admin of an EKS cluster"
	if cluster != nil {
		key, label = "cluster-admin:"+cluster.Address, "cluster-admin of "+cluster.Address
	}
	if n := c.nodes[key]; n != nil {
		return n
	}
	n := &Node{ID: key, Kind: KindClusterAdmin, Label: label, Res: cluster}
	c.nodes[key] = n
	return n
}

// Admin is the administrator sink.
func (c *Context) Admin() *Node { return c.admin }

// Path is a chain of hops from a principal to administrator rights.
type Path struct {
	From *Node
	Hops []Hop
	// Certain is the conjunction of the hops' certainty: True only when
	// every hop is certain.
	Certain tri.Tri
}

// String renders "role ci -[iam:CreatePolicyVersion]-> admin".
func (p *Path) String() string {
	var b strings.Builder
	b.WriteString(p.From.Label)
	for _, h := range p.Hops {
		fmt.Fprintf(&b, " -[%s]-> %s", h.Method, h.To.Label)
	}
	return b.String()
}

// Analysis is the escalation graph of a scan and the paths found in it.
type Analysis struct {
	Nodes []*Node
	Hops  []Hop
	// Admins are the identities that are administrators (or crown jewels)
	// already.
	Admins []*Node
	// Paths holds, per identity that is not admin but can become one, a
	// shortest path to admin.
	Paths []*Path
}

// Analyze builds the escalation graph of g and finds the paths to admin.
// The result is computed once per graph.
func Analyze(g *graph.Graph, cfg Config) *Analysis {
	// Keyed by the settings too: the rules and the report share one
	// analysis, but a caller with other crown jewels or another date must
	// not get it.
	return graph.Memo(g, analysisKey{cfg.Key()}, func() *Analysis { return analyze(g, cfg) })
}

type analysisKey struct{ cfg ConfigKey }

func analyze(g *graph.Graph, cfg Config) *Analysis {
	c := &Context{Graph: g, Model: iam.Build(g), Config: cfg, nodes: map[string]*Node{}, adminOf: map[*iam.Identity]tri.Tri{},
		byAction: map[*iam.Identity]map[string]iam.PolicySet{}, boundaryAdmin: map[*iam.Policy]tri.Tri{}}
	c.admin = &Node{ID: "admin", Kind: KindAdmin, Label: "administrator"}
	a := &Analysis{}
	ids := c.sortedIdentities()
	out := map[*Node][]Hop{}
	for _, id := range ids {
		n := c.IdentityNode(id)
		t, grants := c.isAdmin(id)
		c.adminOf[id] = t
		if t != tri.False {
			h := Hop{From: n, To: c.admin, Method: "administrator", Certain: t, Grants: grants,
				Detail: "its policies allow every action on every resource"}
			if t == tri.True {
				a.Admins = append(a.Admins, n)
			}
			out[n] = append(out[n], h)
		}
		if t == tri.True {
			// An administrator needs no other way up; what else it could
			// do is not searched (it would be a hop to nearly everyone).
			continue
		}
		if id.Kind == iam.Group {
			// Groups act through their users: a member's policies include
			// the group's, and a user that joins one is a node of its own.
			continue
		}
		out[n] = append(out[n], c.hopsFrom(n)...)
	}
	// Nodes the methods created: users in groups they joined act with
	// their own and the group's policies; principals modified by another
	// are administrator once modified.
	for len(c.pending) > 0 {
		n := c.pending[0]
		c.pending = c.pending[1:]
		if n.modified {
			out[n] = append(out[n], Hop{From: n, To: c.admin, Method: "administrator", Certain: tri.True,
				Detail: "holds the administrator permissions it was given"})
			continue
		}
		t, grants := c.isAdmin(n.Identity)
		if t != tri.False {
			out[n] = append(out[n], Hop{From: n, To: c.admin, Method: "administrator", Certain: t, Grants: grants,
				Detail: "its policies, with the group's, allow every action on every resource"})
		}
		if t != tri.True {
			out[n] = append(out[n], c.hopsFrom(n)...)
		}
	}
	// Cluster-admin nodes: the roles their pods and nodes can use.
	var clusterAdmins []*Node
	for _, n := range c.nodes {
		if n.Kind == KindClusterAdmin {
			clusterAdmins = append(clusterAdmins, n)
		}
	}
	sort.Slice(clusterAdmins, func(i, j int) bool { return clusterAdmins[i].ID < clusterAdmins[j].ID })
	for _, n := range clusterAdmins {
		for _, m := range clusterAdminMethods {
			for _, h := range m.Find(c, n) {
				if h.Certain == tri.False || h.To == nil || h.To == n {
					continue
				}
				out[n] = append(out[n], h)
			}
		}
	}
	for _, n := range c.nodes {
		a.Nodes = append(a.Nodes, n)
	}
	a.Nodes = append(a.Nodes, c.admin)
	sort.Slice(a.Nodes, func(i, j int) bool { return a.Nodes[i].ID < a.Nodes[j].ID })
	for _, n := range a.Nodes {
		sortHops(out[n])
		a.Hops = append(a.Hops, out[n]...)
	}
	for _, id := range ids {
		n := c.IdentityNode(id)
		if id.Kind == iam.Group || containsNode(a.Admins, n) {
			continue
		}
		if p := shortest(n, c.admin, out); p != nil {
			a.Paths = append(a.Paths, p)
		}
	}
	return a
}

// hopsFrom runs every method from one node, dropping hops that lead back
// to the principal itself.
func (c *Context) hopsFrom(n *Node) []Hop {
	var out []Hop
	for _, m := range allMethods {
		for _, h := range m.Find(c, n) {
			if h.Certain == tri.False || h.To == nil || h.To == n {
				continue
			}
			if h.To.Identity != nil && n.Identity != nil && h.To.Res == n.Identity.Res && !h.To.modified {
				continue // a user in a group taking over itself
			}
			out = append(out, h)
		}
	}
	return out
}

// adminProbe is what an administrator can do: every one of these on every
// resource. An identity allowed all of them (with no deny, within its
// boundary) is treated as administrator.
var adminProbe = []string{"iam:CreateUser", "iam:PutRolePolicy", "iam:AttachRolePolicy", "sts:AssumeRole",
	"ec2:RunInstances", "s3:GetObject", "kms:Decrypt", "secretsmanager:GetSecretValue", "eks:CreateCluster",
	"organizations:ListAccounts"}

// adminTri is isAdmin's verdict, computed once per identity.
func (c *Context) adminTri(id *iam.Identity) tri.Tri {
	if t, ok := c.adminOf[id]; ok {
		return t
	}
	t, _ := c.isAdmin(id)
	c.adminOf[id] = t
	return t
}

func (c *Context) isAdmin(id *iam.Identity) (tri.Tri, []*iam.Statement) {
	var ds []iam.Decision
	for _, a := range adminProbe {
		ds = append(ds, iam.Evaluate(id.Policies, iam.Request{Action: a, Resource: "*", Context: nil, Now: c.Config.Now}))
	}
	t, grants := All(ds...)
	for _, pat := range c.Config.CrownJewels {
		if glob.Match(pat, id.ARN, false) {
			return tri.True, nil
		}
	}
	return t, dedup(grants)
}

func dedup(sts []*iam.Statement) []*iam.Statement {
	seen := map[*iam.Statement]bool{}
	var out []*iam.Statement
	for _, s := range sts {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// shortest finds a shortest path from n to target, preferring certain
// hops: a path of certain hops is returned when one exists; otherwise the
// shortest possible one.
func shortest(n, target *Node, out map[*Node][]Hop) *Path {
	for _, certainOnly := range []bool{true, false} {
		prev := map[*Node]Hop{}
		seen := map[*Node]bool{n: true}
		queue := []*Node{n}
		for len(queue) > 0 {
			cur := queue[0]
			queue = queue[1:]
			if cur == target {
				var hops []Hop
				for at := target; at != n; {
					h := prev[at]
					hops = append([]Hop{h}, hops...)
					at = h.From
				}
				p := &Path{From: n, Hops: hops, Certain: tri.True}
				for _, h := range hops {
					p.Certain = tri.And(p.Certain, h.Certain)
				}
				return p
			}
			for _, h := range out[cur] {
				if seen[h.To] || (certainOnly && h.Certain != tri.True) {
					continue
				}
				seen[h.To] = true
				prev[h.To] = h
				queue = append(queue, h.To)
			}
		}
	}
	return nil
}

func containsNode(list []*Node, n *Node) bool {
	for _, x := range list {
		if x == n {
			return true
		}
	}
	return false
}

func sortHops(hs []Hop) {
	sort.SliceStable(hs, func(i, j int) bool {
		if hs[i].To.ID != hs[j].To.ID {
			return hs[i].To.ID < hs[j].To.ID
		}
		return hs[i].Method < hs[j].Method
	})
}

// allMethods is Methods, built once: hopsFrom runs for every node, and
// building the list each time was a tenth of the rules' allocations on a
// plan of 230,000 resources.
var allMethods = Methods()

// Methods returns every escalation method, identity ones first.
func Methods() []Method {
	var out []Method
	for _, fam := range [][]Method{assumeMethods, identityMethods, computeMethods, eksMethods} {
		out = append(out, fam...)
	}
	return out
}
