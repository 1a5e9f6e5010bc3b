package builtin

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/iam"
	"github.com/eksguard/eksguard/internal/rule"
)

// This file holds the rules about who may assume a role (IAM-010..014),
// read from each aws_iam_role's assume_role_policy, and the classification
// of roles as workload roles that the policy rules use.

var iamTrustRules = []*rule.Rule{iamCrossAccount, iamSessionName, iamTrustOpen, iamGitHubOIDC, iamIRSATrust}

type iamTrustIndex struct {
	docs   []*iamDoc
	byRole map[*graph.Resource]*iamDoc
}

type iamTrustKey struct{}

func iamTrust(g *graph.Graph) *iamTrustIndex {
	return graph.Memo(g, iamTrustKey{}, func() *iamTrustIndex {
		ix := &iamTrustIndex{byRole: map[*graph.Resource]*iamDoc{}}
		for _, r := range g.OfType("aws_iam_role") {
			pol := iamReadPolicy(g, r, "assume_role_policy")
			if pol == nil {
				continue
			}
			d := &iamDoc{Res: r, Path: "assume_role_policy", Pol: pol, Kind: docTrust, Roles: []*graph.Resource{r}}
			ix.docs = append(ix.docs, d)
			ix.byRole[r] = d
		}
		return ix
	})
}

// iamTrustDocs lists the trust policy of every role.
func iamTrustDocs(g *graph.Graph) []*iamDoc { return iamTrust(g).docs }

// iamFedKind classifies a Federated principal.
type iamFedKind int

const (
	fedOther iamFedKind = iota // another web identity provider (Cognito, Google...)
	fedGitHub
	fedEKS
	fedSAML
	fedUnknown
)

const githubOIDCHost = "token.actions.githubusercontent.com"

func iamClassifyFederated(v string) iamFedKind {
	lv := strings.ToLower(v)
	switch {
	case strings.Contains(lv, githubOIDCHost):
		return fedGitHub
	case irsaProviderRE.MatchString(v) || strings.Contains(lv, "oidc.eks."):
		return fedEKS
	case strings.Contains(lv, ":saml-provider/"):
		return fedSAML
	}
	return fedOther
}

type iamProviderKindKey struct{ role *graph.Resource }

// iamLinkedProviderKind classifies the identity providers a role's trust
// policy refers to (directly or through a data "aws_iam_policy_document"),
// for Federated principals known only after apply: a GitHub or EKS issuer
// URL, an OIDC provider built from an EKS cluster's issuer, a SAML
// provider. It returns fedUnknown unless all of them agree.
func iamLinkedProviderKind(g *graph.Graph, role *graph.Resource) iamFedKind {
	return graph.Memo(g, iamProviderKindKey{role}, func() iamFedKind {
		var provs []*graph.Resource
		types := []string{"aws_iam_openid_connect_provider", "aws_iam_saml_provider"}
		provs = append(provs, g.Targets(role, "assume_role_policy", types...)...)
		for _, d := range g.Targets(role, "assume_role_policy", "aws_iam_policy_document") {
			provs = append(provs, g.Targets(d, "", types...)...)
		}
		kind := fedUnknown
		for i, pr := range provs {
			k := fedUnknown
			switch {
			case pr.Type == "aws_iam_saml_provider":
				k = fedSAML
			default:
				if u, ok := rule.StringOr(pr.Get("url"), ""); ok && u != "" {
					k = iamClassifyFederated(u)
				} else if len(g.Targets(pr, "url", "aws_eks_cluster")) > 0 {
					k = fedEKS
				}
			}
			if i > 0 && k != kind {
				return fedUnknown
			}
			kind = k
		}
		return kind
	})
}

// iamPrincipalUnknown tells whether a statement's principal is not knowable
// (the element, or the whole statement).
func iamPrincipalUnknown(st *iam.Statement) bool {
	return st.Principal.Unknown || (!st.Principal.Present() && st.EffectUnknown && st.Action.Unknown)
}

// iamStmtFederated returns the kinds of the statement's Federated principals.
// A principal known only after apply is classified by the statement's
// condition keys (token.actions.githubusercontent.com:sub, oidc.eks...:sub),
// then by the providers the trust policy refers to.
func iamStmtFederated(g *graph.Graph, role *graph.Resource, st *iam.Statement) map[iamFedKind]bool {
	out := map[iamFedKind]bool{}
	fed, ok := st.Principal.ByKind.Lookup("Federated")
	for _, v := range fed.Values {
		out[iamClassifyFederated(v)] = true
	}
	if !(ok && fed.Unknown) && !iamPrincipalUnknown(st) {
		return out
	}
	hint := fedUnknown
	for _, c := range st.Conditions {
		lk := strings.ToLower(c.Key)
		switch {
		case strings.HasPrefix(lk, githubOIDCHost+":"):
			hint = fedGitHub
		case strings.HasPrefix(lk, "oidc.eks."):
			hint = fedEKS
		case strings.HasPrefix(lk, "saml:"):
			hint = fedSAML
		}
	}
	if hint == fedUnknown {
		hint = iamLinkedProviderKind(g, role)
	}
	out[hint] = true
	return out
}

// fedKindTri is whether a statement's Federated principals include kind k.
func fedKindTri(kinds map[iamFedKind]bool, k iamFedKind) rule.Tri {
	switch {
	case kinds[k]:
		return rule.True
	case kinds[fedUnknown]:
		return rule.TriUnknown
	}
	return rule.False
}

type iamWorkloadInfo struct {
	t   rule.Tri
	who []string
}

// iamWorkloadRole tells whether a role is a workload role: its trust
// policy lets an AWS service (ec2, lambda, ecs-tasks, eks, pods.eks...)
// or a web identity (IRSA, GitHub Actions, any OIDC provider) assume it.
// SAML federation and AWS principals are people or other accounts.
func iamWorkloadRole(g *graph.Graph, r *graph.Resource) rule.Tri {
	return iamWorkloads(g)[r].t
}

// iamWorkloadWho names who assumes a workload role, for messages.
func iamWorkloadWho(g *graph.Graph, r *graph.Resource) string {
	if r == nil {
		return "a principal not knowable from code"
	}
	who := iamWorkloads(g)[r].who
	if len(who) == 0 {
		return "a principal known only after apply"
	}
	return iamList(who, 3)
}

type iamWorkloadsKey struct{}

func iamWorkloads(g *graph.Graph) map[*graph.Resource]iamWorkloadInfo {
	return graph.Memo(g, iamWorkloadsKey{}, func() map[*graph.Resource]iamWorkloadInfo {
		out := map[*graph.Resource]iamWorkloadInfo{}
		for _, r := range g.OfType("aws_iam_role") {
			d := iamTrust(g).byRole[r]
			if d == nil {
				out[r] = iamWorkloadInfo{t: rule.False}
				continue
			}
			if d.Pol.Unknown || d.Pol.Invalid != "" {
				out[r] = iamWorkloadInfo{t: rule.TriUnknown}
				continue
			}
			info := iamWorkloadInfo{t: rule.False}
			for _, st := range d.Pol.Statements {
				allow := stmtAllows(st)
				if allow == rule.False {
					continue
				}
				w := rule.False
				if iamPrincipalUnknown(st) {
					w = rule.TriUnknown
				}
				if svc, ok := st.Principal.ByKind.Lookup("Service"); ok {
					if len(svc.Values) > 0 {
						w = rule.True
						info.who = append(info.who, svc.Values...)
					} else if svc.Unknown {
						w = rule.Or(w, rule.TriUnknown)
					}
				}
				if _, ok := st.Principal.ByKind.Lookup("Federated"); ok || iamPrincipalUnknown(st) {
					for k := range iamStmtFederated(g, r, st) {
						switch k {
						case fedUnknown:
							w = rule.Or(w, rule.TriUnknown)
						case fedSAML:
						default:
							w = rule.True
						}
					}
					if fed := st.Principal.ByKind.Get("Federated"); rule.And(allow, w) == rule.True {
						for _, v := range fed.Values {
							if iamClassifyFederated(v) != fedSAML {
								info.who = append(info.who, v)
							}
						}
					}
				}
				info.t = rule.Or(info.t, rule.And(allow, w))
			}
			out[r] = info
		}
		return out
	})
}

// principalRange is where a principal of the given kind is written.
func principalRange(d *iamDoc, st *iam.Statement, kind string) graph.Range {
	for _, k := range []string{kind, "*"} {
		if s, ok := st.Principal.ByKind.Lookup(k); ok && s.Range.Line > 0 {
			return s.Range
		}
	}
	if st.Principal.Range.Line > 0 {
		return st.Principal.Range
	}
	return iamStmtRange(d, st)
}

// iamReportTrust reports a trust policy's verdicts; a policy with no
// statement in the rule's scope gets none, unless it is not knowable.
func iamReportTrust(p *rule.Pass, d *iamDoc, vs []iamVerdict) {
	if len(vs) == 0 && !d.Pol.Unknown && d.Pol.Invalid == "" {
		return
	}
	iamReportDoc(p, d, vs)
}

// iamAWSAssume tells whether st lets AWS principals (named, any, or not
// knowable) call sts:AssumeRole, with the AWS principals it names; ok is
// false when it is not about them.
func iamAWSAssume(st *iam.Statement) (scope rule.Tri, aws iam.Strings, ok bool) {
	scope = rule.And(stmtAllows(st), stmtCovers(st, "sts:AssumeRole"))
	aws, hasAWS := st.Principal.ByKind.Lookup("AWS")
	return scope, aws, scope != rule.False && (hasAWS || st.Principal.Any || iamPrincipalUnknown(st))
}

// iamJudgeTrusts reports each role's trust policy by its statements'
// verdicts (iamReportTrust).
func iamJudgeTrusts(p *rule.Pass, judge iamStmtJudge) {
	iamJudgeEach(p, iamTrustDocs(p.Graph), judge, iamReportTrust)
}

// iamEveryoneDoc says how the rules about grants to everyone judge a
// principal and a condition (iam.PublicGrants, iam.Condition.LimitsCaller).
const iamEveryoneDoc = "A condition limits who only when its patterns do: a wildcard in the account of an " +
	"ARN pattern (arn:aws:iam::*:role/admin names a role any account can create; arn:aws:iam::* is read the widest " +
	"way), in an account, organization, VPC or endpoint id, or a whole address range (0.0.0.0/0) admits everyone, as " +
	"S3's meaning of public counts only fixed values; an ...IfExists or ForAllValues test of a key some requests " +
	"lack (aws:PrincipalOrgID, aws:SourceVpce, aws:SourceIp, aws:SourceArn) holds for those requests; negated " +
	"operators (StringNotEquals excluding one account) admit everyone else; StringEquals reads * as a character. " +
	"aws:username, aws:PrincipalServiceName and kms:ViaService name no account and do not limit. A principal " +
	"whose account the code does not state (data.aws_caller_identity, AWS::AccountId, Fn::GetAtt of a role's Arn) " +
	"is one of that account's, not everyone."

var (
	iamPrincipalAccountRE = regexp.MustCompile(`^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):`)
	iamBareAccountRE      = regexp.MustCompile(`^\d{12}$`)
	iamArnAccountRE       = regexp.MustCompile(`arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):`)
	iamRootPrincipalRE    = regexp.MustCompile(`^arn:aws[a-z-]*:iam::(?:\d{12}|\$\{Account\}):root$`)
	iamProviderAccountRE  = regexp.MustCompile(`^arn:aws[a-z-]*:iam::(\d{12}):(?:oidc-provider|saml-provider)/`)
)

// iamPrincipalAccount returns the account of an AWS principal: an ARN of a
// user, role, session or root, or a bare account id.
func iamPrincipalAccount(v string) (string, bool) {
	if iamBareAccountRE.MatchString(v) {
		return v, true
	}
	if m := iamPrincipalAccountRE.FindStringSubmatch(v); m != nil {
		return m[1], true
	}
	return "", false
}

// conditionAccounts returns the accounts a positive aws:PrincipalArn or
// aws:PrincipalAccount condition confines a statement's principals to
// (${Account} for the role's own), and whether one does: every value of
// the condition must name its account.
func conditionAccounts(st *iam.Statement) ([]string, bool) {
	for _, c := range st.Conditions {
		if !condPositive(c) || c.Values.Unknown || len(c.Values.Values) == 0 {
			continue
		}
		arn := condKeyIs(c, "aws:PrincipalArn")
		if !arn && !condKeyIs(c, "aws:PrincipalAccount") {
			continue
		}
		var out []string
		ok := true
		for _, v := range c.Values.Values {
			acct := v
			if arn {
				acct = iam.AccountOf(v)
			}
			if acct != graph.AccountPlaceholder && !iamBareAccountRE.MatchString(acct) {
				ok = false
				break
			}
			out = append(out, acct)
		}
		if ok {
			return out, true
		}
	}
	return nil, false
}

// iamAccountInfo is what the scanned code says about its own accounts.
type iamAccountInfo struct {
	// own are the accounts the code deploys to: the account stated with
	// iam.SetAccount (--cfn-param AWS::AccountId), data
	// aws_caller_identity's account_id and the accounts in the ARNs of the
	// IAM resources it declares, when known.
	own map[string]bool
	// elsewhere are account ids that appear in ARNs anywhere in the code
	// outside trust principals, or as the account of an identity provider a
	// trust policy names, with the first place each appears. It is read
	// only when own is empty and a principal names an account, and finding
	// it walks every value in the graph, so it is built on first use.
	elsewhereOnce sync.Once
	elsewhere     map[string]graph.Range
	g             *graph.Graph
}

// iamPrincipalKeys are the elements whose values name who is trusted; the
// account ids in them are not evidence of the code's own account.
var iamPrincipalKeys = map[string]bool{"assume_role_policy": true, "Principal": true, "NotPrincipal": true,
	"principals": true, "not_principals": true}

type iamAccountsKey struct{}

func iamAccounts(g *graph.Graph) *iamAccountInfo {
	return graph.Memo(g, iamAccountsKey{}, func() *iamAccountInfo {
		info := &iamAccountInfo{own: map[string]bool{}, g: g}
		// The account stated on the command line (--cfn-param
		// AWS::AccountId, iam.SetAccount), or the one the principals'
		// ARNs state.
		if a := iam.Build(g).Account; iamBareAccountRE.MatchString(a) {
			info.own[a] = true
		}
		for _, d := range g.DataOfType("aws_caller_identity") {
			if id, ok := rule.StringOr(d.Get("account_id"), ""); ok && iamBareAccountRE.MatchString(id) {
				info.own[id] = true
			}
		}
		for _, r := range g.OfType("aws_iam_role", "aws_iam_policy", "aws_iam_user", "aws_iam_group", "aws_iam_instance_profile") {
			if arn, ok := rule.StringOr(r.Get("arn"), ""); ok {
				if m := iamPrincipalAccountRE.FindStringSubmatch(arn); m != nil {
					info.own[m[1]] = true
				}
			}
		}
		return info
	})
}

// elsewhereAt is the first place outside trust principals where acct
// appears in an ARN, and whether it does.
func (a *iamAccountInfo) elsewhereAt(acct string) (graph.Range, bool) {
	a.elsewhereOnce.Do(func() { a.elsewhere = iamAccountsElsewhere(a.g) })
	at, ok := a.elsewhere[acct]
	return at, ok
}

func iamAccountsElsewhere(g *graph.Graph) map[string]graph.Range {
	elsewhere := map[string]graph.Range{}
	note := func(s string, at graph.Range) {
		if !strings.Contains(s, "arn:") {
			return
		}
		for _, m := range iamArnAccountRE.FindAllStringSubmatch(s, -1) {
			if _, ok := elsewhere[m[1]]; !ok {
				elsewhere[m[1]] = at
			}
		}
	}
	var walkJSON func(x any, at graph.Range, depth int)
	walkJSON = func(x any, at graph.Range, depth int) {
		if depth > 64 {
			return
		}
		switch x := x.(type) {
		case string:
			note(x, at)
		case []any:
			for _, e := range x {
				walkJSON(e, at, depth+1)
			}
		case map[string]any:
			for k, e := range x {
				if !iamPrincipalKeys[k] {
					walkJSON(e, at, depth+1)
				}
			}
		}
	}
	var walk func(v *graph.Value, at graph.Range, depth int)
	walk = func(v *graph.Value, at graph.Range, depth int) {
		if v == nil || depth > 64 {
			return
		}
		if v.Range.Line > 0 {
			at = v.Range
		}
		if v.Doc() != nil {
			walk(v.Doc(), at, depth+1)
			return
		}
		switch v.Kind {
		case graph.String:
			if s := strings.TrimSpace(v.Str); strings.HasPrefix(s, "{") && strings.Contains(s, "arn:") {
				var x any
				if json.Unmarshal([]byte(s), &x) == nil {
					walkJSON(x, at, depth+1)
					return
				}
			}
			note(v.Str, at)
		case graph.List:
			for _, e := range v.List {
				walk(e, at, depth+1)
			}
		case graph.Map:
			// Keys, not Map.All: this closure is too large for the
			// iterator to be inlined into it, and a range over a
			// function that is not inlined allocates twice per map.
			for _, k := range v.Keys() {
				if !iamPrincipalKeys[k] {
					walk(v.Map.Get(k), at, depth+1)
				}
			}
		}
	}
	for _, r := range g.Resources() {
		walk(r.Attrs, r.Range, 0)
	}
	// An identity provider must live in the account of the role that
	// trusts it: the account of a Federated principal is (probably)
	// this code's own account.
	for _, d := range iamTrustDocs(g) {
		for _, st := range d.Pol.Statements {
			for _, v := range st.Principal.ByKind.Get("Federated").Values {
				if m := iamProviderAccountRE.FindStringSubmatch(v); m != nil {
					if _, ok := elsewhere[m[1]]; !ok {
						elsewhere[m[1]] = principalRange(d, st, "Federated")
					}
				}
			}
		}
	}
	return elsewhere
}

// crossAccount tells whether a trusted account is another account than
// the role's own, with why.
func (a *iamAccountInfo) crossAccount(acct string) (rule.Tri, string) {
	if len(a.own) > 0 {
		if a.own[acct] {
			return rule.False, ""
		}
		return rule.True, fmt.Sprintf("account %s, not the account this code deploys to (%s)", acct, iamList(iamSortedKeys(a.own), 3))
	}
	if at, ok := a.elsewhereAt(acct); ok {
		return rule.TriUnknown, fmt.Sprintf("account %s, which also appears at %s:%d; whether it is the role's own account is not knowable "+
			"(scan a plan with data \"aws_caller_identity\", or pass --cfn-param AWS::AccountId)", acct, at.File, at.Line)
	}
	return rule.True, fmt.Sprintf("account %s, which appears nowhere else in the scanned code", acct)
}

var iamCrossAccount = &rule.Rule{
	ID:       "IAM-010",
	Title:    "Cross-account trust without an sts:ExternalId condition (confused deputy)",
	Severity: rule.High,
	Service:  "IAM",
	Types:    []string{"aws_iam_role"},
	Rationale: "A role that another AWS account may assume, typically a vendor's (Conveyor's installation role is " +
		"assumed from the vendor's control-plane account), must require an external ID: otherwise any customer of " +
		"that vendor can ask it to act on your account (the confused deputy problem). The role's own account is " +
		"taken from data \"aws_caller_identity\" and the ARNs of the IAM resources the code declares, when known; " +
		"otherwise an account is taken as foreign when it appears nowhere else in the scanned code (outside trust " +
		"principals), and the verdict is unknown when it does. Principal * (any account) is cross-account too. An " +
		"aws:PrincipalOrgID condition naming an organization also passes: members of your organization are not " +
		"third parties (a pattern such as o-* names none, and an IfExists test holds for principals in no " +
		"organization).",
	Remediation: "Add a StringEquals condition on sts:ExternalId with the value the third party gave you (unique per " +
		"customer), or restrict the trust to your organization with aws:PrincipalOrgID.",
	Example: `data "aws_iam_policy_document" "vendor_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = [var.vendor_external_id]
    }
  }
}`,
	References: []rule.Reference{RefConveyor,
		awsdoc("IAM User Guide: The confused deputy problem", "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html"),
		awsdoc("IAM User Guide: Access to AWS accounts owned by third parties (external ID)", "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html"),
		tfdoc("aws_iam_role")},
	Run: func(p *rule.Pass) {
		accts := iamAccounts(p.Graph)
		iamJudgeTrusts(p, func(d *iamDoc, st *iam.Statement) (iamVerdict, bool) {
			scope, aws, ok := iamAWSAssume(st)
			if !ok {
				return iamVerdict{}, false
			}
			type judged struct {
				t   rule.Tri
				why string
			}
			var js []judged
			if st.Principal.Any {
				// Principal * narrowed by aws:PrincipalArn or
				// aws:PrincipalAccount trusts the accounts those name.
				if named, ok := conditionAccounts(st); ok {
					for _, acct := range named {
						if acct == graph.AccountPlaceholder {
							continue // the role's own account
						}
						t, why := accts.crossAccount(acct)
						js = append(js, judged{t, why})
					}
				} else {
					js = append(js, judged{rule.True, "any AWS account (*)"})
				}
			}
			for _, v := range aws.Values {
				if acct, ok := iamPrincipalAccount(v); ok {
					t, why := accts.crossAccount(acct)
					js = append(js, judged{t, why})
				}
			}
			if aws.Unknown || iamPrincipalUnknown(st) {
				js = append(js, judged{rule.TriUnknown, "an AWS principal known only after apply"})
			}
			cross := rule.False
			for _, j := range js {
				cross = rule.Or(cross, j.t)
			}
			var why []string
			for _, j := range js {
				if j.t == cross && j.why != "" {
					why = append(why, j.why)
				}
			}
			// An aws:PrincipalOrgID test fences only when it names an
			// organization (a pattern such as o-* admits anyone).
			fence := stmtHasCondition(st, func(c iam.Condition) bool {
				if condKeyIs(c, "aws:PrincipalOrgID") {
					return c.LimitsCaller() != rule.False
				}
				return condPositive(c) && condKeyIs(c, "sts:ExternalId")
			})
			t := rule.And(scope, cross, fence.Not())
			msg := fmt.Sprintf("%s lets %s assume the role without an sts:ExternalId condition", d.stmt(st), strings.Join(why, "; "))
			if t == rule.TriUnknown {
				msg = fmt.Sprintf("%s trusts %s; whether it is cross-account without sts:ExternalId is not knowable from code",
					d.stmt(st), strings.Join(why, "; "))
				if len(why) == 0 {
					msg = fmt.Sprintf("%s: its effect, actions or conditions are known only after apply", d.stmt(st))
				}
			}
			return iamVerdict{t, principalRange(d, st, "AWS"), msg}, true
		})
	},
}

var iamSessionName = &rule.Rule{
	ID:       "IAM-011",
	Title:    "Role assumable by people or third parties without a required session name or source identity",
	Severity: rule.Low,
	Service:  "IAM",
	Types:    []string{"aws_iam_role"},
	Rationale: "When people (IAM users, SSO or SAML federation) or another account's principals assume a role, " +
		"CloudTrail records the role session, not who opened it, unless the trust policy makes the caller say: " +
		"Conveyor's installation role requires a fixed role session name (conveyor-TENANTID) so everything it did can be " +
		"found by that name. The rule asks every statement that lets AWS principals (sts:AssumeRole) or SAML " +
		"(sts:AssumeRoleWithSAML) in for a condition on sts:RoleSessionName with a set value (a pattern such as " +
		"${aws:username} or conveyor-*; a bare * only requires what the API already requires) or on " +
		"sts:SourceIdentity, which stays on the session through role chaining.",
	Remediation: "Add a condition requiring the session name (StringLike sts:RoleSessionName = \"${aws:username}\" " +
		"for people, a fixed prefix for a vendor) or a source identity (StringLike sts:SourceIdentity = \"*\" with " +
		"sts:SetSourceIdentity allowed).",
	Example: `data "aws_iam_policy_document" "installer_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = [var.external_id]
    }
    condition {
      test     = "StringLike"
      variable = "sts:RoleSessionName"
      values   = ["conveyor-*"]
    }
  }
}`,
	References: []rule.Reference{RefConveyor,
		awsdoc("IAM User Guide: Monitor and control actions taken with assumed roles (sts:SourceIdentity)", "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html"),
		awsdoc("IAM User Guide: IAM and AWS STS condition context keys (sts:RoleSessionName)", "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_rolesessionname"),
		tfdoc("aws_iam_role")},
	Run: func(p *rule.Pass) {
		iamJudgeTrusts(p, func(d *iamDoc, st *iam.Statement) (iamVerdict, bool) {
			allow := stmtAllows(st)
			if allow == rule.False {
				return iamVerdict{}, false
			}
			aws, hasAWS := st.Principal.ByKind.Lookup("AWS")
			human := rule.False
			kind, who := "AWS", ""
			if hasAWS || st.Principal.Any {
				// AWS principals are people (users, SSO roles) or other
				// accounts' principals.
				human = stmtCovers(st, "sts:AssumeRole")
				who = iamList(aws.Values, 3)
				if st.Principal.Any {
					who = "any AWS principal (*)"
				} else if len(aws.Values) == 0 {
					who = "AWS principals known only after apply"
				}
			}
			if _, ok := st.Principal.ByKind.Lookup("Federated"); ok || iamPrincipalUnknown(st) {
				saml := rule.And(fedKindTri(iamStmtFederated(p.Graph, d.Res, st), fedSAML), stmtCovers(st, "sts:AssumeRoleWithSAML"))
				if saml == rule.True && human != rule.True {
					kind, who = "Federated", "SAML federation "+iamList(st.Principal.ByKind.Get("Federated").Values, 2)
				}
				human = rule.Or(human, saml)
			}
			if iamPrincipalUnknown(st) {
				human = rule.Or(human, rule.TriUnknown)
			}
			if human == rule.False {
				return iamVerdict{}, false
			}
			fence := stmtHasCondition(st, func(c iam.Condition) bool {
				if condKeyIs(c, "sts:SourceIdentity") {
					return condPositive(c) || (c.BaseOperator() == "Null" && containsString(c.Values.Values, "false"))
				}
				if condKeyIs(c, "sts:RoleSessionName") && condPositive(c) {
					for _, v := range c.Values.Values {
						if strings.Trim(v, "*") != "" {
							return true
						}
					}
					return c.Values.Unknown
				}
				return false
			})
			t := rule.And(allow, human, fence.Not())
			msg := fmt.Sprintf("%s lets %s assume the role without requiring sts:RoleSessionName or sts:SourceIdentity: CloudTrail cannot tell who used it",
				d.stmt(st), who)
			if t == rule.TriUnknown {
				msg = fmt.Sprintf("%s: its principal, effect or conditions are known only after apply; people may assume the role without a required session name", d.stmt(st))
			}
			return iamVerdict{t, principalRange(d, st, kind), msg}, true
		})
	},
}

var iamTrustOpen = &rule.Rule{
	ID:       "IAM-012",
	Title:    "Role trusts every principal (*) or a whole account (root) without any condition",
	Severity: rule.High,
	Service:  "IAM",
	Types:    []string{"aws_iam_role"},
	Rationale: "Principal * lets any AWS principal of any account assume the role. Principal arn:aws:iam::<account>:" +
		"root (or a bare account id) delegates to the whole account: every user and role there whose own policies " +
		"allow sts:AssumeRole on it, now and in the future, including the vendor's staff for a third-party account. " +
		"Without a condition nothing narrows this (Conveyor's role requires an external ID and a session name). The " +
		"root of the account the code deploys to, written with an account the code does not state " +
		"(data.aws_caller_identity, AWS::AccountId), is a whole account too. Any condition passes this rule, except " +
		"a test of who calls that every principal meets (ArnLike aws:PrincipalArn arn:aws:iam::*, StringLike " +
		"aws:PrincipalAccount *: the patterns are judged as DATA-002 judges them); IAM-010 and IAM-011 judge which " +
		"conditions are needed.",
	Remediation: "Name the role(s) that may assume it (arn:aws:iam::<account>:role/<name>) and add conditions: " +
		"sts:ExternalId for third parties, aws:PrincipalOrgID, aws:PrincipalArn or MFA for people.",
	Example: `data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::123456789012:role/platform-admin"]
    }
    condition {
      test     = "Bool"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["true"]
    }
  }
}`,
	References: []rule.Reference{RefConveyor,
		awsdoc("IAM User Guide: AWS JSON policy elements: Principal (AWS account principals)", "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts"),
		tfdoc("aws_iam_role")},
	Run: func(p *rule.Pass) {
		iamJudgeTrusts(p, func(d *iamDoc, st *iam.Statement) (iamVerdict, bool) {
			scope, aws, ok := iamAWSAssume(st)
			if !ok {
				return iamVerdict{}, false
			}
			open := rule.False
			var who []string
			if st.Principal.Any {
				open = rule.True
				who = append(who, "*")
			}
			for _, v := range aws.Values {
				// The account the code deploys to, when not given, is
				// ${Account}: its root is a whole account too.
				if iamRootPrincipalRE.MatchString(v) || iamBareAccountRE.MatchString(v) || v == graph.AccountPlaceholder {
					open = rule.True
					who = append(who, v)
				}
			}
			if open == rule.False && (aws.Unknown || iamPrincipalUnknown(st)) {
				open = rule.TriUnknown
			}
			// A test of who calls that any principal meets (ArnLike
			// aws:PrincipalArn arn:aws:iam::*, StringLike
			// aws:PrincipalOrgID *) is no condition.
			var vacuous []string
			narrowed := rule.False
			for _, c := range st.Conditions {
				if !iam.IsCallerKey(c.Key) {
					narrowed = rule.True
					continue
				}
				lim := c.LimitsCaller()
				if lim == rule.False {
					vacuous = append(vacuous, c.Operator+" "+c.Key+" "+iamList(c.Values.Values, 2))
				}
				narrowed = rule.Or(narrowed, lim)
			}
			if st.ConditionUnknown {
				narrowed = rule.Or(narrowed, rule.TriUnknown)
			}
			t := rule.And(scope, open, narrowed.Not())
			msg := fmt.Sprintf("%s trusts %s without any condition", d.stmt(st), iamList(who, 3))
			if len(vacuous) > 0 {
				msg = fmt.Sprintf("%s trusts %s with no condition that narrows it: %s admits every principal",
					d.stmt(st), iamList(who, 3), strings.Join(vacuous, "; "))
			}
			if t == rule.TriUnknown {
				msg = fmt.Sprintf("%s: its principal, effect or conditions are known only after apply; it may trust every principal or a whole account unconditionally", d.stmt(st))
			}
			return iamVerdict{t, principalRange(d, st, "AWS"), msg}, true
		})
	},
}

// oidcCheckResult is one finding about an OIDC trust statement's conditions.
type oidcCheckResult struct {
	t   rule.Tri
	at  graph.Range
	why string
}

// oidcJudge combines the checks of a statement: the known failures, at the
// first one's line; otherwise unknown.
func oidcJudge(d *iamDoc, st *iam.Statement, scope rule.Tri, checks []oidcCheckResult, what string) iamVerdict {
	var whys []string
	at := graph.Range{}
	t := rule.False
	for _, c := range checks {
		t = rule.Or(t, c.t)
	}
	for _, c := range checks {
		if c.t == t && t != rule.False {
			whys = append(whys, c.why)
			if at.Line == 0 {
				at = c.at
			}
		}
	}
	if at.Line == 0 {
		at = principalRange(d, st, "Federated")
	}
	t = rule.And(scope, t)
	msg := fmt.Sprintf("%s (%s): %s", d.stmt(st), what, strings.Join(whys, "; "))
	if t == rule.TriUnknown && len(whys) == 0 {
		msg = fmt.Sprintf("%s: its principal, effect or conditions are known only after apply (%s)", d.stmt(st), what)
	}
	return iamVerdict{t, at, msg}
}

// oidcClaimConditions returns the positive conditions on an OIDC claim: keys
// "<host>:<claim>", where match decides the host part.
func oidcClaimConditions(st *iam.Statement, claim string, host func(string) bool) []iam.Condition {
	var out []iam.Condition
	for _, c := range st.Conditions {
		h, cl, ok := strings.Cut(strings.ToLower(c.Key), ":")
		if ok && cl == claim && host(h) && condPositive(c) {
			out = append(out, c)
		}
	}
	return out
}

// oidcRequireClaim checks that a claim is constrained: missing fails (unknown
// when the Condition block is not knowable); each value is judged by bad.
func oidcRequireClaim(d *iamDoc, st *iam.Statement, claim string, host func(string) bool, bad func(string) string) oidcCheckResult {
	conds := oidcClaimConditions(st, claim, host)
	if len(conds) == 0 {
		if st.ConditionUnknown {
			return oidcCheckResult{rule.TriUnknown, principalRange(d, st, "Federated"),
				fmt.Sprintf("whether a %q condition is set is not knowable: part of the Condition block (a key built from the issuer URL, say) is known only after apply", claim)}
		}
		return oidcCheckResult{rule.True, principalRange(d, st, "Federated"), fmt.Sprintf("no %q condition", claim)}
	}
	out := oidcCheckResult{t: rule.False}
	for _, c := range conds {
		for _, v := range c.Values.Values {
			if why := bad(v); why != "" {
				return oidcCheckResult{rule.True, c.Range, fmt.Sprintf("%s %s = %q: %s", c.Operator, c.Key, v, why)}
			}
		}
		if c.Values.Unknown {
			out = oidcCheckResult{rule.TriUnknown, c.Range, fmt.Sprintf("the %q condition's values are known only after apply", claim)}
		}
	}
	return out
}

// oidcTrustRun judges the trust statements that let a kind of OIDC
// provider's tokens assume a role: the token's sub claim, on the condition
// keys whose host isProvider accepts, is judged by subProblem, and its aud
// must be sts.amazonaws.com.
func oidcTrustRun(fed iamFedKind, isProvider func(host string) bool, subProblem func(string) string, what string) func(*rule.Pass) {
	return func(p *rule.Pass) {
		iamJudgeTrusts(p, func(d *iamDoc, st *iam.Statement) (iamVerdict, bool) {
			_, hasFed := st.Principal.ByKind.Lookup("Federated")
			if !hasFed && !iamPrincipalUnknown(st) {
				return iamVerdict{}, false
			}
			kind := fedKindTri(iamStmtFederated(p.Graph, d.Res, st), fed)
			scope := rule.And(stmtAllows(st), stmtCovers(st, "sts:AssumeRoleWithWebIdentity"), kind)
			if scope == rule.False {
				return iamVerdict{}, false
			}
			checks := []oidcCheckResult{
				oidcRequireClaim(d, st, "sub", isProvider, subProblem),
				oidcRequireClaim(d, st, "aud", isProvider, oidcAudSTS),
			}
			return oidcJudge(d, st, scope, checks, what), true
		})
	}
}

// oidcAudSTS requires the audience to be sts.amazonaws.com.
func oidcAudSTS(v string) string {
	if v == "sts.amazonaws.com" || strings.Contains(v, "${") {
		return ""
	}
	return "the audience must be sts.amazonaws.com"
}

// oidcGitHubSubProblem judges a token.actions.githubusercontent.com:sub value.
func oidcGitHubSubProblem(v string) string {
	if strings.Contains(v, "${") {
		return ""
	}
	rest, ok := strings.CutPrefix(v, "repo:")
	if !ok {
		if strings.Trim(v, "*?") == "" {
			return "any repository of any GitHub organization can assume the role"
		}
		// A customized subject claim (repository_owner_id:...): its parts
		// are not judged.
		return ""
	}
	repo, _, _ := strings.Cut(rest, ":")
	owner, name, _ := strings.Cut(repo, "/")
	switch {
	case owner == "" || strings.ContainsAny(owner, "*?"):
		return "any repository of any GitHub organization can assume the role"
	case name == "" || strings.ContainsAny(name, "*?"):
		return fmt.Sprintf("org-wide wildcard: every repository of %s (and every fork or new repository there) can assume the role", owner)
	}
	return ""
}

var iamGitHubOIDC = &rule.Rule{
	ID:       "IAM-013",
	Title:    "GitHub Actions OIDC trust without a repository-pinned sub condition or sts.amazonaws.com audience",
	Severity: rule.High,
	Service:  "IAM",
	Types:    []string{"aws_iam_role", "aws_iam_openid_connect_provider"},
	Rationale: "GitHub's OIDC provider (token.actions.githubusercontent.com) issues tokens to every workflow of every " +
		"repository on GitHub. A role that trusts it without a condition on the token's sub claim can be assumed " +
		"from anyone's repository; a wildcard repository (repo:*, repo:org/*) admits every repository of the " +
		"organization, including new ones and pull-request workflows. The DevSecOps settings page replaces stored keys with OIDC, " +
		"which is only safe when the trust is pinned to the repository (and ideally branch or environment). The " +
		"token's aud must be sts.amazonaws.com. Decisions: an org-wide wildcard fails like *; wildcards after the " +
		"repository (ref, environment) pass; customized sub claims that do not start with repo: are not judged " +
		"beyond a bare *.",
	Remediation: "Add StringEquals token.actions.githubusercontent.com:aud = sts.amazonaws.com and StringLike " +
		"token.actions.githubusercontent.com:sub = repo:<org>/<repo>:ref:refs/heads/main (or :environment:prod).",
	Example: `data "aws_iam_policy_document" "github_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.github.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringLike"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:my-org/platform:environment:prod"]
    }
  }
}`,
	References: []rule.Reference{RefDevSecOps,
		awsdoc("IAM User Guide: Create a role for OpenID Connect federation (GitHub)", "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub"),
		awsdoc("GitHub Docs: Configuring OpenID Connect in Amazon Web Services", "https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services"),
		tfdoc("aws_iam_role")},
	Run: oidcTrustRun(fedGitHub, func(h string) bool { return strings.HasPrefix(h, githubOIDCHost) }, oidcGitHubSubProblem,
		"GitHub Actions OIDC"),
}

// oidcIRSASubProblem judges an EKS service account token's sub value.
func oidcIRSASubProblem(v string) string {
	if strings.Contains(v, "${") {
		return ""
	}
	rest, ok := strings.CutPrefix(v, "system:serviceaccount:")
	if !ok {
		if strings.ContainsAny(v, "*?") {
			return "any service account of the cluster can assume the role"
		}
		return "not a service account subject (system:serviceaccount:<namespace>:<name>)"
	}
	ns, _, _ := strings.Cut(rest, ":")
	if ns == "" || strings.ContainsAny(ns, "*?") {
		return "a wildcard namespace: any pod of the cluster can assume the role"
	}
	return ""
}

var iamIRSATrust = &rule.Rule{
	ID:       "IAM-014",
	Title:    "EKS IRSA trust without :sub and :aud conditions (any pod of the cluster can assume the role)",
	Severity: rule.High,
	Service:  "IAM",
	Types:    []string{"aws_iam_role", "aws_iam_openid_connect_provider"},
	Rationale: "With IAM roles for service accounts, the cluster's OIDC issuer signs a token for every service " +
		"account of every namespace. A role that trusts the issuer without a condition on the token's sub claim " +
		"(system:serviceaccount:<namespace>:<name>) can be assumed by any pod of the cluster, so one compromised or " +
		"malicious workload gets every IRSA role (the DevSecOps settings page: least privilege per service). The aud claim must be " +
		"sts.amazonaws.com. Decisions: a wildcard namespace (system:serviceaccount:*) fails; a wildcard service " +
		"account name within one namespace passes (the namespace is the tenant boundary).",
	Remediation: "Add StringEquals conditions <issuer>:sub = system:serviceaccount:<namespace>:<service account> and " +
		"<issuer>:aud = sts.amazonaws.com (or use EKS Pod Identity associations).",
	Example: `data "aws_iam_policy_document" "irsa" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.eks.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub"
      values   = ["system:serviceaccount:payments:api"]
    }
    condition {
      test     = "StringEquals"
      variable = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}`,
	References: []rule.Reference{RefDevSecOps,
		awsdoc("Amazon EKS User Guide: Assign IAM roles to Kubernetes service accounts", "https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html"),
		bpg("identity-and-access-management", "", "Identity and Access Management: scope the IAM role trust policy for IRSA to the service account name"),
		cis("5.2.1", "Prefer using dedicated EKS Service Accounts"),
		tfdoc("aws_iam_role")},
	Run: oidcTrustRun(fedEKS, func(h string) bool { return !strings.HasPrefix(h, githubOIDCHost) }, oidcIRSASubProblem,
		"EKS IRSA"),
}
