package iam

import (
	"sort"
	"strings"

	"github.com/eksguard/eksguard/internal/glob"
	"github.com/eksguard/eksguard/internal/graph"
)

// Kind of principal.
type Kind string

const (
	User  Kind = "user"
	Group Kind = "group"
	Role  Kind = "role"
)

// Identity is an IAM user, group or role of the scanned code with every
// policy that applies to it.
type Identity struct {
	Kind Kind
	Res  *graph.Resource
	// Name is the IAM name when known, else the resource address.
	Name string
	// ARN is the principal's ARN; an account the code does not state is
	// written ${Account}, which the evaluator matches as "maybe".
	ARN string
	// Policies are its identity policies (inline, attached, and for a
	// user those of its groups) and its permissions boundary.
	Policies PolicySet
	// Trust is a role's trust policy.
	Trust *Policy
	// Groups a user belongs to.
	Groups []*Identity
	// Attachments name the managed policy ARNs attached (for rules about
	// AWS managed power policies), with the resource that attaches each.
	Attachments []Attachment
}

// Attachment is one managed policy attached to a principal.
type Attachment struct {
	PolicyARN string
	// Via is the resource holding the attachment (an attachment resource,
	// or the principal itself for managed_policy_arns).
	Via  *graph.Resource
	Attr string
}

// Label is "role ci-deployer" for messages.
func (p *Identity) Label() string { return string(p.Kind) + " " + p.Name }

// Model is every principal of a graph.
type Model struct {
	Identities []*Identity
	byRes      map[*graph.Resource]*Identity
	byName     map[string][]*Identity // kind/name
	// Account is the account id the code states (CloudFormation's
	// AWS::AccountId given on the command line, or a single account id
	// written in the principals' ARNs); "" when not knowable.
	Account string
}

// ForResource returns the principal a resource declares.
func (m *Model) ForResource(r *graph.Resource) *Identity { return m.byRes[r] }

// Named returns the principals of a kind with an IAM name.
func (m *Model) Named(k Kind, name string) []*Identity { return m.byName[string(k)+"/"+name] }

// ByARN finds the principals an ARN (or ARN pattern) may name: by known
// ARN, else by kind and name when the account is not stated.
func (m *Model) ByARN(arn string) []*Identity {
	k, name, ok := parsePrincipalARN(arn)
	if !ok {
		return nil
	}
	var out []*Identity
	for _, p := range m.byName[string(k)+"/"+name] {
		if glob.Match(p.ARN, arn, false) || strings.Contains(p.ARN, "${Account}") || glob.Match(arn, p.ARN, false) {
			out = append(out, p)
		}
	}
	return out
}

// parsePrincipalARN reads arn:aws:iam::123:role/path/name.
func parsePrincipalARN(arn string) (Kind, string, bool) {
	parts := splitARN(arn)
	if parts == nil || parts[2] != "iam" {
		return "", "", false
	}
	res := parts[5]
	slash := strings.IndexByte(res, '/')
	if slash < 0 {
		return "", "", false
	}
	kind := Kind(res[:slash])
	if kind != User && kind != Group && kind != Role {
		return "", "", false
	}
	name := res[strings.LastIndexByte(res, '/')+1:]
	return kind, name, true
}

// modelKey keys the model of a graph. The one setting it is built with,
// the account (SetAccount), is fixed before it is built and kept in the
// graph under accountKey.
type modelKey struct{}

// accountKey holds the account given with SetAccount.
type accountKey struct{}

// Build reads every principal of g with its policies. It is computed once
// per graph.
func Build(g *graph.Graph) *Model {
	return graph.Memo(g, modelKey{}, func() *Model { return build(g) })
}

var principalTypes = map[string]Kind{"aws_iam_user": User, "aws_iam_group": Group, "aws_iam_role": Role}

func build(g *graph.Graph) *Model {
	m := &Model{byRes: map[*graph.Resource]*Identity{}, byName: map[string][]*Identity{}}
	managed := managedPolicies(g)
	for _, typ := range []string{"aws_iam_group", "aws_iam_user", "aws_iam_role"} {
		for _, r := range g.OfType(typ) {
			p := &Identity{Kind: principalTypes[typ], Res: r, Name: r.Address}
			if n, ok := r.Get("name").StringOr(""); ok && n != "" {
				p.Name = n
			}
			m.Identities = append(m.Identities, p)
			m.byRes[r] = p
			m.byName[string(p.Kind)+"/"+p.Name] = append(m.byName[string(p.Kind)+"/"+p.Name], p)
		}
	}
	m.Account = statedAccount(g, m)
	for _, p := range m.Identities {
		p.ARN = principalARN(p, m.Account)
		r := p.Res
		// Inline policies: a role's own inline_policy blocks (users and
		// groups have none) and the separate *_policy resources that
		// name the principal.
		if p.Kind == Role {
			for i := range r.Get("inline_policy").Items() {
				if pol := FromAttribute(g, r, "inline_policy."+itoa(i)+".policy"); pol != nil {
					p.Policies.Identity = append(p.Policies.Identity, pol)
				}
			}
		}
		owner := string(p.Kind)
		for _, ir := range g.Sources(r, owner, "aws_iam_"+owner+"_policy") {
			if pol := FromAttribute(g, ir, "policy"); pol != nil {
				if n, ok := ir.Get("name").StringOr(""); ok && n != "" {
					pol.Name = n
				}
				p.Policies.Identity = append(p.Policies.Identity, pol)
			}
		}
		// Managed policies: attachment resources (aws_iam_policy_attachment
		// names its principals in lists: roles, users, groups), then a
		// role's managed_policy_arns for ARNs no attachment already brings
		// (CloudFormation and Terraform state hold both forms).
		seen := map[string]bool{}
		atts := g.Sources(r, owner, "aws_iam_"+owner+"_policy_attachment")
		atts = append(atts, g.Sources(r, owner+"s", "aws_iam_policy_attachment")...)
		for _, att := range atts {
			arn := arnOf(att.Get("policy_arn"))
			pol := resolveManaged(g, managed, att, "policy_arn", true, arn)
			if arn != "" {
				seen[arn] = true
			}
			p.Attachments = append(p.Attachments, Attachment{PolicyARN: arn, Via: att, Attr: "policy_arn"})
			p.Policies.Identity = append(p.Policies.Identity, pol)
		}
		var arns []string
		var refs []*graph.Resource
		unk := false
		if p.Kind == Role {
			arns, refs, unk = managedARNs(g, r)
		}
		for _, arn := range arns {
			if seen[arn] {
				continue
			}
			seen[arn] = true
			p.Attachments = append(p.Attachments, Attachment{PolicyARN: arn, Via: r, Attr: "managed_policy_arns"})
			// A known ARN is resolved by itself: the role's references
			// to policies of the code are refs below (or its boundary's).
			p.Policies.Identity = append(p.Policies.Identity, resolveManaged(g, managed, r, "managed_policy_arns", false, arn))
		}
		for _, ref := range refs {
			if pol := managed.byRes[ref]; pol != nil {
				p.Attachments = append(p.Attachments, Attachment{Via: r, Attr: "managed_policy_arns"})
				p.Policies.Identity = append(p.Policies.Identity, pol)
			}
		}
		if unk {
			p.Policies.Identity = append(p.Policies.Identity, &Policy{Unknown: true, Resource: r, Attr: "managed_policy_arns", Name: r.Address})
		}
		var boundary *graph.Value
		if p.Kind != Group { // groups have no permissions boundary
			boundary = r.Get("permissions_boundary")
		}
		if b := boundary; !b.IsNull() {
			arn := arnOf(b)
			p.Policies.Boundary = resolveManaged(g, managed, r, "permissions_boundary", true, arn)
			if p.Policies.Boundary == nil {
				p.Policies.Boundary = &Policy{Unknown: true, Resource: r, Attr: "permissions_boundary", Name: r.Address}
			}
		}
		if p.Kind == Role {
			p.Trust = FromAttribute(g, r, "assume_role_policy")
		}
	}
	// Group membership: a user's groups add their policies to the user's.
	member := func(u, grp *graph.Resource) {
		up, gp := m.byRes[u], m.byRes[grp]
		if up == nil || gp == nil || up.Kind != User || gp.Kind != Group {
			return
		}
		for _, x := range up.Groups {
			if x == gp {
				return
			}
		}
		up.Groups = append(up.Groups, gp)
		up.Policies.Identity = append(up.Policies.Identity, gp.Policies.Identity...)
	}
	for _, ms := range g.OfType("aws_iam_user_group_membership") {
		for _, u := range g.Targets(ms, "user", "aws_iam_user") {
			for _, grp := range g.Targets(ms, "groups", "aws_iam_group") {
				member(u, grp)
			}
		}
	}
	for _, ms := range g.OfType("aws_iam_group_membership") {
		for _, grp := range g.Targets(ms, "group", "aws_iam_group") {
			for _, u := range g.Targets(ms, "users", "aws_iam_user") {
				member(u, grp)
			}
		}
	}
	return m
}

// managedARNs reads a principal's managed_policy_arns: the ARNs known (in
// full, or but for the account: aws_iam_policy.x.arn before apply), the
// policies of the code an unknown element refers to, and whether an
// element is unknown otherwise (then the policy cannot be read).
func managedARNs(g *graph.Graph, r *graph.Resource) (arns []string, refs []*graph.Resource, unknown bool) {
	v := r.Get("managed_policy_arns")
	if v.IsNull() {
		return nil, nil, false
	}
	if v.Kind == graph.Unknown {
		// The whole list is unknown: the policies it refers to are known
		// to be in it, others may be.
		return nil, g.Targets(r, "managed_policy_arns", "aws_iam_policy"), true
	}
	for i, item := range v.Items() {
		if a, ok := ARNOf(item); ok && a != "" {
			arns = append(arns, a)
			continue
		}
		ts := g.Targets(r, "managed_policy_arns."+itoa(i), "aws_iam_policy")
		if len(ts) == 1 {
			refs = append(refs, ts[0])
			continue
		}
		unknown = true
	}
	return arns, refs, unknown
}

// managedPolicies indexes the customer managed policies of the code by
// ARN and name.
type managedIndex struct {
	byRes map[*graph.Resource]*Policy
	byARN map[string]*Policy
}

func managedPolicies(g *graph.Graph) managedIndex {
	idx := managedIndex{byRes: map[*graph.Resource]*Policy{}, byARN: map[string]*Policy{}}
	for _, r := range g.OfType("aws_iam_policy") {
		pol := FromAttribute(g, r, "policy")
		if pol == nil {
			pol = &Policy{Unknown: true, Resource: r, Attr: "policy", Name: r.Address}
		}
		if n, ok := r.Get("name").StringOr(""); ok && n != "" {
			pol.Name = n
			idx.byARN["name:"+n] = pol
		}
		if a := arnOf(r.Get("arn")); a != "" {
			idx.byARN[a] = pol
		}
		idx.byRes[r] = pol
	}
	return idx
}

// resolveManaged finds the document of a managed policy ARN that holder
// names at attr: a customer policy of the code (by reference, when follow
// says the reference at attr is this ARN's, or by name), an AWS managed
// policy eksguard embeds, or unknown.
func resolveManaged(g *graph.Graph, idx managedIndex, holder *graph.Resource, attr string, follow bool, arn string) *Policy {
	if follow {
		for _, t := range g.Targets(holder, attr, "aws_iam_policy") {
			if p := idx.byRes[t]; p != nil {
				return p
			}
		}
	}
	if arn == "" {
		return &Policy{Unknown: true, Resource: holder, Attr: attr, Name: holder.Address}
	}
	if p := idx.byARN[arn]; p != nil {
		return p
	}
	if p := AWSManaged(arn); p != nil {
		return p
	}
	if i := strings.LastIndexByte(arn, '/'); i >= 0 && !strings.Contains(arn, ":aws:policy/") {
		if p := idx.byARN["name:"+arn[i+1:]]; p != nil {
			return p
		}
	}
	return &Policy{Unknown: true, Resource: holder, Attr: attr, Name: arn}
}

// SetAccount states the account the scanned code is deployed to (the
// --account-id flag, or CloudFormation's AWS::AccountId parameter), so the
// principals' ARNs are known and trust policies naming them are certain. It
// must be called before the model is first built.
func SetAccount(g *graph.Graph, id string) {
	graph.Memo(g, accountKey{}, func() string { return id })
}

// statedAccount returns the account id given with SetAccount, else the one
// account id the code states for its own principals, if any.
func statedAccount(g *graph.Graph, m *Model) string {
	if id := graph.Memo(g, accountKey{}, func() string { return "" }); id != "" {
		return id
	}
	accounts := map[string]bool{}
	for _, p := range m.Identities {
		if a, ok := p.Res.Get("arn").StringOr(""); ok && a != "" {
			if acct := AccountOf(a); acct != "" {
				accounts[acct] = true
			}
		}
	}
	for _, d := range g.DataOfType("aws_caller_identity") {
		if a, ok := d.Get("account_id").StringOr(""); ok && a != "" {
			accounts[a] = true
		}
	}
	if len(accounts) == 1 {
		for a := range accounts {
			return a
		}
	}
	return ""
}

func principalARN(p *Identity, account string) string {
	if a := arnOf(p.Res.Get("arn")); a != "" && (account == "" || !strings.Contains(a, "${Account}")) {
		return a
	}
	if account == "" {
		account = "${Account}"
	}
	path, _ := p.Res.Get("path").StringOr("/")
	if path == "" {
		path = "/"
	}
	return "arn:aws:iam::" + account + ":" + string(p.Kind) + path + p.Name
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// SortedPrincipals returns principals by kind and name, for stable output.
func (m *Model) SortedIdentities() []*Identity {
	out := append([]*Identity(nil), m.Identities...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].Name < out[j].Name
	})
	return out
}
