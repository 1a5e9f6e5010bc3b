package escalate

import (
	"fmt"
	"strings"

	"github.com/eksguard/eksguard/internal/glob"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/iam"
	"github.com/eksguard/eksguard/internal/tri"
)

// assumeMethods are the hops of sts:AssumeRole: a role whose trust policy
// admits the principal.
var assumeMethods = []Method{{
	Name: "sts:AssumeRole",
	Doc: "Assume a role whose trust policy admits the principal. A trust naming the principal's ARN is enough " +
		"within the account; a trust naming the account (root) or any principal also needs sts:AssumeRole in the " +
		"principal's own policies.",
	Variants: []Variant{{Label: "sts:AssumeRole", Catalog: []string{"sts-001"},
		Certain: "Certain when the role's trust policy names the principal's ARN (or its account or anyone, and the principal's own " +
			"policies allow sts:AssumeRole on the role), no explicit deny stops it, and a role's permissions boundary allows it."}},
	Find: func(c *Context, from *Node) []Hop {
		var out []Hop
		// Only identities allowed to assume something at all are checked
		// against every role; trusts naming the principal directly are
		// found through the index.
		canAssume := c.Allowed(from.Identity, "sts:AssumeRole", "", nil).Allowed != tri.False
		for _, role := range c.trustIndex().candidates(from.Identity, canAssume) {
			if h, ok := c.assumeHop(from, role); ok {
				out = append(out, h)
			}
		}
		return out
	},
}}

// assumeHop decides whether from may assume role.
func (c *Context) assumeHop(from *Node, role *iam.Identity) (Hop, bool) {
	if role.Trust == nil || role == from.Identity {
		return Hop{}, false
	}
	id := from.Identity
	trust := tri.False
	direct := tri.False
	var grants []*iam.Statement
	for _, st := range role.Trust.Statements {
		if !st.EffectUnknown && st.Effect != iam.Allow {
			continue
		}
		act := st.Matches(iam.Request{Action: "sts:AssumeRole", AnyResource: true, Now: c.Config.Now})
		if act == tri.False {
			continue
		}
		named, viaAccount := principalAdmits(st.Principal, id)
		if named != tri.True && st.Principal.ByKind.Get("AWS").Unknown && c.trustIndex().refs[role][id] {
			// The principal is written as a reference to this user or role
			// (aws_iam_user.dev.arn), whose ARN is computed: it names it.
			named = tri.True
		}
		m := tri.And(act, tri.Or(named, viaAccount))
		if m == tri.False {
			continue
		}
		trust = tri.Or(trust, m)
		direct = tri.Or(direct, tri.And(act, named))
		grants = append(grants, st)
	}
	if trust == tri.False {
		return Hop{}, false
	}
	perm := c.Allowed(id, "sts:AssumeRole", role.ARN, nil)
	if id.Kind == iam.Role && id.Policies.Boundary != nil {
		// A resource policy naming a user's ARN is not limited by the
		// user's permissions boundary; one naming a role's ARN is (IAM
		// User Guide, permissions boundaries and resource-based policies).
		var bd iam.Decision
		b := iam.Evaluate(iam.PolicySet{Identity: []*iam.Policy{id.Policies.Boundary}},
			iam.Request{Action: "sts:AssumeRole", Resource: role.ARN, Context: principalContext(id, nil), Now: c.Config.Now})
		bd = b
		direct = tri.And(direct, bd.Allowed)
	}
	// Within one account a trust naming the principal suffices; otherwise
	// the principal's own policies must allow it too. An explicit deny in
	// them blocks either way.
	denied := tri.False
	if len(perm.Denies) > 0 && perm.Allowed == tri.False {
		denied = tri.True
	}
	ok := tri.And(trust, tri.Or(direct, perm.Allowed), denied.Not())
	if ok == tri.False {
		return Hop{}, false
	}
	return Hop{From: from, To: c.IdentityNode(role), Method: "sts:AssumeRole", Certain: ok,
		Grants: append(grants, allowsOnly(perm)...), Detail: "assumes " + role.Label()}, true
}

// principalAdmits tells whether a trust Principal admits id by naming it
// (its ARN, or for a role's session the role) or by naming its account or
// any principal (then identity permissions decide).
func principalAdmits(p iam.Principal, id *iam.Identity) (named, viaAccount tri.Tri) {
	named, viaAccount = tri.False, tri.False
	if p.Unknown {
		return tri.Unknown, tri.Unknown
	}
	if p.Any {
		return tri.False, tri.True
	}
	aws := p.ByKind.Get("AWS")
	if aws.Unknown {
		named, viaAccount = tri.Unknown, tri.Unknown
	}
	acct := iam.AccountOf(id.ARN)
	for _, v := range aws.Values {
		switch {
		case glob.Match(v, id.ARN, false):
			named = tri.True
		case v == acct || v == "arn:aws:iam::"+acct+":root":
			viaAccount = tri.True
		case acct == "${Account}" && (iam.IsAccountID(v) || iam.IsRootARN(v)):
			viaAccount = tri.Or(viaAccount, tri.Unknown)
		case acct == "${Account}" && glob.Match(iam.WithAnyAccount(v), id.ARN, false):
			named = tri.Or(named, tri.Unknown)
		}
	}
	return named, viaAccount
}

// trustIndex maps principal ARNs named in trust policies to the roles
// naming them, and lists the roles whose trust admits by account or any
// principal. Built once per analysis so assume edges cost no scan of every
// role per identity.
type trustIdx struct {
	named map[string][]*iam.Identity
	// refs are the identities each role's trust policy refers to by
	// reference, and byRef the reverse.
	refs  map[*iam.Identity]map[*iam.Identity]bool
	byRef map[*iam.Identity][]*iam.Identity
	// patterns are roles whose trust names principals by wildcard or by an
	// ARN this index cannot key exactly; open are roles trusting an account
	// or anyone.
	patterns, open []*iam.Identity
}

type trustIndexKey struct{}

func (c *Context) trustIndex() *trustIdx {
	return graph.Memo(c.Graph, trustIndexKey{}, func() *trustIdx {
		t := &trustIdx{named: map[string][]*iam.Identity{}, refs: map[*iam.Identity]map[*iam.Identity]bool{},
			byRef: map[*iam.Identity][]*iam.Identity{}}
		for _, r := range c.Model.Identities {
			if r.Kind != iam.Role || r.Trust == nil {
				continue
			}
			for _, target := range c.Graph.Targets(r.Res, "assume_role_policy", "aws_iam_user", "aws_iam_role") {
				if tid := c.Model.ForResource(target); tid != nil && tid != r {
					if t.refs[r] == nil {
						t.refs[r] = map[*iam.Identity]bool{}
					}
					t.refs[r][tid] = true
					t.byRef[tid] = append(t.byRef[tid], r)
				}
			}
			var isOpen, isPattern bool
			for _, st := range r.Trust.Statements {
				p := st.Principal
				if p.Unknown || p.Any || p.ByKind.Get("AWS").Unknown {
					isOpen = true
				}
				for _, v := range p.ByKind.Get("AWS").Values {
					switch {
					case iam.IsAccountID(v) || iam.IsRootARN(v):
						isOpen = true
					case containsWildcard(v) || iam.AccountOf(v) == "":
						isPattern = true
					default:
						t.named[v] = append(t.named[v], r)
					}
				}
			}
			if isOpen {
				t.open = append(t.open, r)
			}
			if isPattern {
				t.patterns = append(t.patterns, r)
			}
		}
		return t
	})
}

// candidates are the roles whose trust may admit id: those naming it,
// those naming by pattern, and, when id may assume roles through its own
// policies, those trusting an account or anyone.
func (t *trustIdx) candidates(id *iam.Identity, canAssume bool) []*iam.Identity {
	var out []*iam.Identity
	seen := map[*iam.Identity]bool{}
	add := func(rs []*iam.Identity) {
		for _, r := range rs {
			if !seen[r] {
				seen[r] = true
				out = append(out, r)
			}
		}
	}
	add(t.named[id.ARN])
	add(t.byRef[id])
	if iam.AccountOf(id.ARN) == "${Account}" {
		// The trust names a concrete account; the principal's account is
		// not stated: match by the rest of the ARN.
		for arn, rs := range t.named {
			if glob.Match(iam.WithAnyAccount(arn), id.ARN, false) {
				add(rs)
			}
		}
	}
	add(t.patterns)
	if canAssume {
		add(t.open)
	}
	return out
}

func containsWildcard(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '*' || s[i] == '?' {
			return true
		}
	}
	return false
}

// identityMethods change IAM itself: a principal rewrites its own
// permissions, or takes over another user or role.
var identityMethods = []Method{
	selfPolicyMethod("iam:CreatePolicyVersion", "Create a new default version of a customer managed policy attached to itself (or a group it is in), granting anything.",
		func(c *Context, id *iam.Identity) []target { return attachedCustomerPolicies(c, id) },
		Variant{Label: "iam:CreatePolicyVersion", Catalog: []string{"iam-001"},
			Certain: "Certain when a customer managed policy of the code is attached to the principal (or a group it is in), its policies allow iam:CreatePolicyVersion on that policy, and its permissions boundary (if any) leaves room for administrator."}),
	selfPolicyMethod("iam:SetDefaultPolicyVersion", "Make another version of a policy attached to itself the default; what older versions hold is not in the code, so the hop is possible, never certain.",
		func(c *Context, id *iam.Identity) []target { return attachedCustomerPolicies(c, id) },
		Variant{Label: "iam:SetDefaultPolicyVersion",
			Certain: "Never certain: what the policy's other versions hold is not in the code."}),
	selfPolicyMethod("iam:Put*Policy", "Write an inline policy on itself or a group it belongs to (iam:PutUserPolicy, iam:PutRolePolicy, iam:PutGroupPolicy).",
		func(c *Context, id *iam.Identity) []target { return selfAndGroups(id, "Put%sPolicy") },
		Variant{Label: "iam:PutUserPolicy", Catalog: []string{"iam-007"}, Certain: selfCertain("iam:PutUserPolicy", "itself")},
		Variant{Label: "iam:PutRolePolicy", Catalog: []string{"iam-005"}, Certain: selfCertain("iam:PutRolePolicy", "itself")},
		Variant{Label: "iam:PutGroupPolicy", Catalog: []string{"iam-011"}, Certain: selfCertain("iam:PutGroupPolicy", "a group it is in (or has just joined)")}),
	selfPolicyMethod("iam:Attach*Policy", "Attach a managed policy such as AdministratorAccess to itself or a group it belongs to (iam:AttachUserPolicy, iam:AttachRolePolicy, iam:AttachGroupPolicy).",
		func(c *Context, id *iam.Identity) []target { return selfAndGroups(id, "Attach%sPolicy") },
		Variant{Label: "iam:AttachUserPolicy", Catalog: []string{"iam-008"}, Certain: selfCertain("iam:AttachUserPolicy", "itself")},
		Variant{Label: "iam:AttachRolePolicy", Catalog: []string{"iam-009"}, Certain: selfCertain("iam:AttachRolePolicy", "itself")},
		Variant{Label: "iam:AttachGroupPolicy", Catalog: []string{"iam-010"}, Certain: selfCertain("iam:AttachGroupPolicy", "a group it is in (or has just joined)")}),
	{
		Name: "iam:Delete*PermissionsBoundary",
		Doc:  "Remove its own permissions boundary when the boundary is all that stops its policies from being administrator.",
		Variants: []Variant{
			{Label: "iam:DeleteUserPermissionsBoundary", Certain: "Certain when the principal's policies allow deleting its own boundary and, without it, make it administrator or let it write or attach any policy on itself."},
			{Label: "iam:DeleteRolePermissionsBoundary", Certain: "Certain when the principal's policies allow deleting its own boundary and, without it, make it administrator or let it write or attach any policy on itself."},
		},
		Find: func(c *Context, from *Node) []Hop {
			id := from.Identity
			if id.Policies.Boundary == nil {
				return nil
			}
			unbounded := &iam.Identity{Kind: id.Kind, Res: id.Res, Name: id.Name, ARN: id.ARN,
				Policies: iam.PolicySet{Identity: id.Policies.Identity}, Groups: id.Groups, Attachments: id.Attachments}
			admin, grants := c.isAdmin(unbounded)
			if admin != tri.True {
				// Without the boundary it may grant itself anything: write or
				// attach a policy on itself.
				kw := kindWord(id.Kind)
				self := tri.False
				for _, a := range []string{"iam:Put" + kw + "Policy", "iam:Attach" + kw + "Policy"} {
					var ctx map[string][]string
					if strings.HasPrefix(a, "iam:Attach") {
						ctx = map[string][]string{"iam:PolicyARN": {adminPolicyARN}}
					}
					d := c.Allowed(unbounded, a, id.ARN, ctx)
					if d.Allowed != tri.False {
						self = tri.Or(self, d.Allowed)
						grants = append(grants, allowsOnly(d)...)
					}
				}
				admin = tri.Or(admin, self)
			}
			if admin == tri.False {
				return nil
			}
			action := "iam:Delete" + kindWord(id.Kind) + "PermissionsBoundary"
			d := c.Allowed(id, action, id.ARN, nil)
			t, g := All(d)
			t = tri.And(t, admin)
			if t == tri.False {
				return nil
			}
			return []Hop{{From: from, To: c.Admin(), Method: action, Certain: t, Grants: append(g, grants...),
				Detail: "removes its own permissions boundary; unbounded, its policies are administrator or let it grant itself any policy"}}
		},
	},
	{
		Name: "iam:AddUserToGroup",
		Doc:  "Add itself to a group and gain the group's policies.",
		Variants: []Variant{{Label: "iam:AddUserToGroup", Catalog: []string{"iam-013"},
			Certain: "Certain when the user's policies allow iam:AddUserToGroup on the group and, judged with its own policies and boundary plus the group's, the user then has a certain hop onward."}},
		Find: func(c *Context, from *Node) []Hop {
			id := from.Identity
			if id.Kind != iam.User {
				return nil
			}
			if c.Allowed(id, "iam:AddUserToGroup", "", nil).Allowed == tri.False {
				return nil
			}
			var out []Hop
			for _, g := range c.Model.Identities {
				if g.Kind != iam.Group || memberOf(id, g) {
					continue
				}
				d := c.Allowed(id, "iam:AddUserToGroup", g.ARN, nil)
				if d.Allowed == tri.False {
					continue
				}
				t, grants := All(d)
				// What it may do next is judged on the member, so its own
				// denies and boundary still apply to the group's grants.
				out = append(out, Hop{From: from, To: c.memberNode(from, g), Method: "iam:AddUserToGroup", Certain: t,
					Grants: grants, Detail: "adds itself to " + g.Label() + ", gaining the group's policies"})
			}
			return out
		},
	},
	{
		Name: "modify another principal, then become it",
		Doc: "Give another role administrator permissions (iam:AttachRolePolicy, iam:PutRolePolicy, or iam:CreatePolicyVersion " +
			"of a customer policy attached to it) and assume it, through a trust that admits the principal (sts:AssumeRole) or one " +
			"it rewrites (iam:UpdateAssumeRolePolicy); or give another user such permissions (iam:AttachUserPolicy, " +
			"iam:PutUserPolicy, iam:CreatePolicyVersion) and create an access key for it (iam:CreateAccessKey).",
		Variants: modifyBecomeVariants(),
		Find:     findModifyThenBecome,
	},
	otherUserMethod("iam:CreateAccessKey", "Create an access key for another user and act as that user; a user the code gives two keys "+
		"already needs one deleted first (iam:DeleteAccessKey).",
		Variant{Label: "iam:CreateAccessKey", Catalog: []string{"iam-002"},
			Certain: "Certain when the principal's policies allow iam:CreateAccessKey on the user and the code gives the user fewer than two access keys."},
		Variant{Label: "iam:CreateAccessKey+iam:DeleteAccessKey", Catalog: []string{"iam-003"},
			Certain: "Certain when the user has two access keys in the code and the principal's policies allow iam:DeleteAccessKey and iam:CreateAccessKey on it."}),
	otherUserMethod("iam:CreateLoginProfile", "Set a console password for another user that has none (a user whose login profile is in the code already has one), and sign in as that user.",
		Variant{Label: "iam:CreateLoginProfile", Catalog: []string{"iam-004"},
			Certain: "Certain when the principal's policies allow iam:CreateLoginProfile on the user and the code declares no login profile for it (one that exists makes the call fail: no hop)."}),
	otherUserMethod("iam:UpdateLoginProfile", "Change another user's console password and sign in as that user; a user without a login profile in the code may have none, so the hop is possible.",
		Variant{Label: "iam:UpdateLoginProfile", Catalog: []string{"iam-006"},
			Certain: "Certain when the principal's policies allow iam:UpdateLoginProfile on the user and the code declares the user's login profile."}),
	{
		Name: "iam:UpdateAssumeRolePolicy",
		Doc:  "Rewrite a role's trust policy to name itself, then assume the role: within the account a trust naming the principal needs no sts:AssumeRole permission of its own.",
		Variants: []Variant{{Label: "iam:UpdateAssumeRolePolicy", Catalog: []string{"iam-012"},
			Certain: "Certain when the principal's policies allow iam:UpdateAssumeRolePolicy on the role and no explicit deny of sts:AssumeRole stops it."}},
		Find: func(c *Context, from *Node) []Hop {
			id := from.Identity
			if c.Allowed(id, "iam:UpdateAssumeRolePolicy", "", nil).Allowed == tri.False {
				return nil
			}
			var out []Hop
			for _, r := range c.Model.Identities {
				if r.Kind != iam.Role || r == id {
					continue
				}
				upd := c.Allowed(id, "iam:UpdateAssumeRolePolicy", r.ARN, nil)
				if upd.Allowed == tri.False {
					continue
				}
				t, grants := All(upd)
				// Only an explicit deny of sts:AssumeRole in its own policies
				// stops it once the trust names it.
				if as := c.Allowed(id, "sts:AssumeRole", r.ARN, nil); as.Allowed == tri.False && len(as.Denies) > 0 {
					continue
				}
				out = append(out, Hop{From: from, To: c.IdentityNode(r), Method: "iam:UpdateAssumeRolePolicy", Certain: t,
					Grants: grants, Detail: "rewrites the trust policy of " + r.Label() + " and assumes it"})
			}
			return out
		},
	},
}

// memberNode is the user of node from once it has added itself to group
// g: its own policies and boundary with the group's policies added. One
// node per user and group; a user that joins a second group from there is
// judged with its own policies and that group's.
func (c *Context) memberNode(from *Node, g *iam.Identity) *Node {
	u := from.Identity
	base := c.IdentityNode(u)
	key := "member:" + base.ID + "|" + c.IdentityNode(g).ID
	if n := c.nodes[key]; n != nil {
		return n
	}
	real := base.Identity
	id := &iam.Identity{Kind: iam.User, Res: real.Res, Name: real.Name, ARN: real.ARN, Attachments: real.Attachments,
		Groups: append(append([]*iam.Identity(nil), real.Groups...), g),
		Policies: iam.PolicySet{Identity: append(append([]*iam.Policy(nil), real.Policies.Identity...), g.Policies.Identity...),
			Boundary: real.Policies.Boundary}}
	n := &Node{ID: key, Kind: KindIdentity, Label: real.Label() + " in " + g.Label(), Identity: id, Res: g.Res}
	c.nodes[key] = n
	c.pending = append(c.pending, n)
	return n
}

// modifiedNode is principal t once another principal has given it
// administrator permissions: its only hop is to administrator.
func (c *Context) modifiedNode(t *iam.Identity) *Node {
	key := "modified:" + c.IdentityNode(t).ID
	if n := c.nodes[key]; n != nil {
		return n
	}
	cp := *t
	n := &Node{ID: key, Kind: KindIdentity, Label: t.Label() + " (modified)", Identity: &cp, Res: t.Res, modified: true}
	c.nodes[key] = n
	c.pending = append(c.pending, n)
	return n
}

// target is a resource a self-modification acts on.
type target struct {
	action, arn, what string
}

// adminPolicyARN is what an attacker attaches: the request context of an
// Attach*Policy call names it in iam:PolicyARN, which conditions may test.
const adminPolicyARN = "arn:aws:iam::aws:policy/AdministratorAccess"

// boundaryAllowsAdmin tells whether a principal's permissions boundary
// leaves room for administrator rights: whatever policy it grants itself,
// what it may do stays within the boundary.
func (c *Context) boundaryAllowsAdmin(id *iam.Identity) tri.Tri {
	b := id.Policies.Boundary
	if b == nil {
		return tri.True
	}
	if t, ok := c.boundaryAdmin[b]; ok {
		return t
	}
	t, _ := c.isAdmin(&iam.Identity{Kind: id.Kind, Res: id.Res, Name: id.Name, ARN: id.ARN,
		Policies: iam.PolicySet{Identity: []*iam.Policy{b}}})
	c.boundaryAdmin[b] = t
	return t
}

func selfPolicyMethod(name, doc string, targets func(*Context, *iam.Identity) []target, variants ...Variant) Method {
	return Method{Name: name, Doc: doc, Variants: variants, Find: func(c *Context, from *Node) []Hop {
		var out []Hop
		capped := c.boundaryAllowsAdmin(from.Identity)
		if capped == tri.False {
			return nil
		}
		for _, tg := range targets(c, from.Identity) {
			action := tg.action
			if action == "" {
				action = name
			}
			var ctx map[string][]string
			if strings.HasPrefix(action, "iam:Attach") {
				ctx = map[string][]string{"iam:PolicyARN": {adminPolicyARN}}
			}
			d := c.Allowed(from.Identity, action, tg.arn, ctx)
			if d.Allowed == tri.False {
				continue
			}
			t, grants := All(d)
			t = tri.And(t, capped)
			if name == "iam:SetDefaultPolicyVersion" {
				t = tri.And(t, tri.Unknown)
			}
			out = append(out, Hop{From: from, To: c.Admin(), Method: action, Certain: t, Grants: grants,
				Detail: fmt.Sprintf("%s %s, giving itself any permission", verbFor(action), tg.what)})
			break
		}
		return out
	}}
}

func verbFor(action string) string {
	switch action {
	case "iam:CreatePolicyVersion":
		return "writes a new default version of"
	case "iam:SetDefaultPolicyVersion":
		return "switches the default version of"
	}
	return "uses " + action + " on"
}

// attachedCustomerPolicies lists the customer managed policies attached to
// id or its groups.
func attachedCustomerPolicies(c *Context, id *iam.Identity) []target {
	var out []target
	holders := append([]*iam.Identity{id}, id.Groups...)
	for _, h := range holders {
		for _, a := range h.Attachments {
			if _, aws := iam.AWSManagedName(a.PolicyARN); aws {
				continue
			}
			arn, name := a.PolicyARN, a.PolicyARN
			if arn == "" {
				// The ARN is computed; the policy's name and path give it
				// but for the account.
				arn = "arn:aws:iam::" + iam.AccountOf(id.ARN) + ":policy/*"
				name = "(ARN known after apply, attached by " + a.Via.Address + ")"
				if ps := c.Graph.Targets(a.Via, a.Attr, "aws_iam_policy"); len(ps) == 1 {
					name = ps[0].Address
					if n, ok := ps[0].Get("name").StringOr(""); ok && n != "" {
						path, _ := ps[0].Get("path").StringOr("/")
						if path == "" {
							path = "/"
						}
						arn = "arn:aws:iam::" + iam.AccountOf(id.ARN) + ":policy" + path + n
					}
				}
			}
			out = append(out, target{arn: arn, what: "policy " + name + " attached to " + h.Label()})
		}
	}
	return out
}

func selfAndGroups(id *iam.Identity, format string) []target {
	out := []target{{action: "iam:" + fmt.Sprintf(format, kindWord(id.Kind)), arn: id.ARN, what: "itself"}}
	for _, g := range id.Groups {
		out = append(out, target{action: "iam:" + fmt.Sprintf(format, "Group"), arn: g.ARN, what: g.Label()})
	}
	return out
}

func kindWord(k iam.Kind) string {
	switch k {
	case iam.User:
		return "User"
	case iam.Group:
		return "Group"
	}
	return "Role"
}

func memberOf(u, g *iam.Identity) bool {
	for _, x := range u.Groups {
		if x == g {
			return true
		}
	}
	return false
}

func otherUserMethod(action, doc string, variants ...Variant) Method {
	return Method{Name: action, Doc: doc, Variants: variants, Find: func(c *Context, from *Node) []Hop {
		id := from.Identity
		if c.Allowed(id, action, "", nil).Allowed == tri.False {
			return nil
		}
		var out []Hop
		for _, u := range c.Model.Identities {
			if u.Kind != iam.User || u == id {
				continue
			}
			d := c.Allowed(id, action, u.ARN, nil)
			if d.Allowed == tri.False {
				continue
			}
			t, grants := All(d)
			label := action
			hasProfile := len(c.Graph.Sources(u.Res, "user", "aws_iam_user_login_profile")) > 0
			switch action {
			case "iam:CreateAccessKey":
				if len(c.Graph.Sources(u.Res, "user", "aws_iam_access_key")) >= 2 {
					// AWS allows two keys per user: one must be deleted first.
					del := c.Allowed(id, "iam:DeleteAccessKey", u.ARN, nil)
					t, grants = All(d, del)
					label = "iam:CreateAccessKey+iam:DeleteAccessKey"
				}
			case "iam:CreateLoginProfile":
				if hasProfile {
					continue // AWS refuses: the user has a password already
				}
			case "iam:UpdateLoginProfile":
				if !hasProfile {
					t = tri.And(t, tri.Unknown)
				}
			}
			if t == tri.False {
				continue
			}
			out = append(out, Hop{From: from, To: c.IdentityNode(u), Method: label, Certain: t, Grants: grants,
				Detail: "takes over " + u.Label()})
		}
		return out
	}}
}

// modifyWays are how a principal gives another administrator permissions,
// by the target's kind word (Role, User): the action and, for
// iam:CreatePolicyVersion, that it acts on the target's customer policies.
var modifyWays = []string{"iam:Attach%sPolicy", "iam:Put%sPolicy", "iam:CreatePolicyVersion"}

// modifyBecomeCatalog are the pathfinding.cloud ids of the combinations.
var modifyBecomeCatalog = map[string]string{
	"iam:AttachRolePolicy+sts:AssumeRole":                "iam-014",
	"iam:AttachUserPolicy+iam:CreateAccessKey":           "iam-015",
	"iam:CreatePolicyVersion+sts:AssumeRole":             "iam-016",
	"iam:PutRolePolicy+sts:AssumeRole":                   "iam-017",
	"iam:PutUserPolicy+iam:CreateAccessKey":              "iam-018",
	"iam:AttachRolePolicy+iam:UpdateAssumeRolePolicy":    "iam-019",
	"iam:CreatePolicyVersion+iam:UpdateAssumeRolePolicy": "iam-020",
	"iam:PutRolePolicy+iam:UpdateAssumeRolePolicy":       "iam-021",
}

func modifyBecomeVariants() []Variant {
	var out []Variant
	for _, kind := range []struct {
		word    string
		becomes []string
		how     string
	}{
		{"Role", []string{"sts:AssumeRole", "iam:UpdateAssumeRolePolicy"},
			"the role's trust policy names the principal (or its account, with sts:AssumeRole in its own policies), or the principal may rewrite it"},
		{"User", []string{"iam:CreateAccessKey"},
			"the principal may create an access key for the user (and delete one when the code gives the user two already)"},
	} {
		for _, m := range modifyWays {
			action := m
			if strings.Contains(m, "%s") {
				action = fmt.Sprintf(m, kind.word)
			}
			for _, b := range kind.becomes {
				label := action + "+" + b
				on := "on the " + strings.ToLower(kind.word)
				if action == "iam:CreatePolicyVersion" {
					on = "on a customer managed policy the code attaches to the " + strings.ToLower(kind.word)
				} else if strings.HasPrefix(action, "iam:Attach") {
					on += " (attaching AdministratorAccess)"
				}
				v := Variant{Label: label, Certain: "Certain when the principal's policies allow " + action + " " + on +
					", the " + strings.ToLower(kind.word) + "'s permissions boundary (if any) leaves room for administrator, and " + kind.how + "."}
				if id := modifyBecomeCatalog[label]; id != "" {
					v.Catalog = []string{id}
				}
				out = append(out, v)
			}
		}
	}
	return out
}

// modifyCandidates are the actions a principal needs on some resource to
// modify another: one principal allowed none of them is not checked
// against every target.
var modifyCandidates = []string{"iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:CreatePolicyVersion",
	"iam:AttachUserPolicy", "iam:PutUserPolicy"}

// findModifyThenBecome finds, for each role and user other than the
// principal that is not administrator already, the most certain way to
// give it administrator permissions and the most certain way to become it.
func findModifyThenBecome(c *Context, from *Node) []Hop {
	id := from.Identity
	if id == nil || id.Kind == iam.Group {
		return nil
	}
	any := false
	for _, a := range modifyCandidates {
		if c.Allowed(id, a, "", nil).Allowed != tri.False {
			any = true
			break
		}
	}
	if !any {
		return nil
	}
	// Only principals it may become are worth modifying: roles whose
	// trust may admit it (all roles when it may rewrite trusts), users
	// when it may create access keys.
	var targets []*iam.Identity
	if c.Allowed(id, "iam:UpdateAssumeRolePolicy", "", nil).Allowed != tri.False {
		targets = c.sortedIdentities()
	} else {
		canAssume := c.Allowed(id, "sts:AssumeRole", "", nil).Allowed != tri.False
		targets = c.trustIndex().candidates(id, canAssume)
		if c.Allowed(id, "iam:CreateAccessKey", "", nil).Allowed != tri.False {
			for _, u := range c.sortedIdentities() {
				if u.Kind == iam.User {
					targets = append(targets, u)
				}
			}
		}
	}
	var out []Hop
	for _, t := range targets {
		if t.Kind == iam.Group || t.Res == id.Res || c.adminTri(t) == tri.True {
			continue
		}
		capped := c.boundaryAllowsAdmin(t)
		if capped == tri.False {
			continue
		}
		bec := c.bestBecoming(from, t)
		if bec.t == tri.False {
			continue
		}
		mod := c.bestModification(id, t)
		if mod.t == tri.False {
			continue
		}
		certain := tri.And(mod.t, bec.t, capped)
		if certain == tri.False {
			continue
		}
		out = append(out, Hop{From: from, To: c.modifiedNode(t), Method: mod.label + "+" + bec.label, Certain: certain,
			Grants: dedup(append(mod.grants, bec.grants...)),
			Detail: mod.what + ", then " + bec.what})
	}
	return out
}

// step is one half of a two-step escalation: how, how certain, and the
// statements allowing it.
type step struct {
	label, what string
	t           tri.Tri
	grants      []*iam.Statement
}

// better tells whether s is more certain than best.
func (s step) better(best step) bool {
	return best.t == tri.False || (best.t == tri.Unknown && s.t == tri.True)
}

// bestModification is the most certain way id may give t administrator
// permissions.
func (c *Context) bestModification(id, t *iam.Identity) step {
	best := step{t: tri.False}
	kw := kindWord(t.Kind)
	for _, way := range modifyWays {
		if way == "iam:CreatePolicyVersion" {
			for _, tg := range attachedCustomerPolicies(c, t) {
				d := c.Allowed(id, way, tg.arn, nil)
				if d.Allowed == tri.False {
					continue
				}
				allowed, grants := All(d)
				s := step{label: way, t: allowed, grants: grants, what: "writes a new default version of " + tg.what + ", granting anything"}
				if s.better(best) {
					best = s
				}
			}
			continue
		}
		action := fmt.Sprintf(way, kw)
		var ctx map[string][]string
		if strings.HasPrefix(action, "iam:Attach") {
			ctx = map[string][]string{"iam:PolicyARN": {adminPolicyARN}}
		}
		d := c.Allowed(id, action, t.ARN, ctx)
		if d.Allowed == tri.False {
			continue
		}
		allowed, grants := All(d)
		what := "attaches AdministratorAccess to " + t.Label()
		if strings.HasPrefix(action, "iam:Put") {
			what = "writes an inline policy granting anything on " + t.Label()
		}
		s := step{label: action, t: allowed, grants: grants, what: what}
		if s.better(best) {
			best = s
		}
	}
	return best
}

// bestBecoming is the most certain way the principal of from may act as t
// once t is modified: assume the role (as its trust stands, or rewritten),
// or create an access key for the user.
func (c *Context) bestBecoming(from *Node, t *iam.Identity) step {
	id := from.Identity
	best := step{t: tri.False}
	switch t.Kind {
	case iam.Role:
		if h, ok := c.assumeHop(from, t); ok {
			best = step{label: "sts:AssumeRole", t: h.Certain, grants: h.Grants, what: "assumes it"}
		}
		upd := c.Allowed(id, "iam:UpdateAssumeRolePolicy", t.ARN, nil)
		if upd.Allowed != tri.False {
			if as := c.Allowed(id, "sts:AssumeRole", t.ARN, nil); as.Allowed != tri.False || len(as.Denies) == 0 {
				allowed, grants := All(upd)
				s := step{label: "iam:UpdateAssumeRolePolicy", t: allowed, grants: grants, what: "rewrites its trust policy to name itself and assumes it"}
				if s.better(best) {
					best = s
				}
			}
		}
	case iam.User:
		ds := []iam.Decision{c.Allowed(id, "iam:CreateAccessKey", t.ARN, nil)}
		what := "creates an access key for it"
		if keys := len(c.Graph.Sources(t.Res, "user", "aws_iam_access_key")); keys >= 2 {
			// A user holds at most two keys: one must go first.
			ds = append(ds, c.Allowed(id, "iam:DeleteAccessKey", t.ARN, nil))
			what = "deletes one of its two access keys and creates one for itself"
		}
		allowed, grants := All(ds...)
		if allowed != tri.False {
			best = step{label: "iam:CreateAccessKey", t: allowed, grants: grants, what: what}
		}
	}
	return best
}

// selfCertain is the Certain text of a method acting on the principal
// itself.
func selfCertain(action, on string) string {
	what := ""
	if strings.HasPrefix(action, "iam:Attach") {
		what = " (attaching AdministratorAccess: conditions on iam:PolicyARN are judged for it)"
	}
	return "Certain when the principal's policies allow " + action + " on " + on + what +
		" and its permissions boundary (if any) leaves room for administrator."
}
