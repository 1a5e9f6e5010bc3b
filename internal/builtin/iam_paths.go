package builtin

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/iam"
	"github.com/eksguard/eksguard/internal/iam/escalate"
	"github.com/eksguard/eksguard/internal/rule"
)

// iamPathRules report the privilege-escalation paths of the escalation
// engine: one verdict per principal (IAM-030) and per CI principal (CI-003).
var iamPathRules = []*rule.Rule{iamEscalationPath, ciReachesAdmin}

var (
	escRhinoDoc = awsdoc("Rhino Security Labs: AWS IAM privilege escalation methods",
		"https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/")
	escEvalDoc = awsdoc("AWS IAM: policy evaluation logic",
		"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html")
	escBoundaryDoc = awsdoc("AWS IAM: permissions boundaries for IAM entities",
		"https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html")
)

// escConfig is the escalation analysis's settings of the scan: crown
// jewels, and the scan date for date conditions.
func escConfig(p *rule.Pass) escalate.Config {
	return escalate.Config{CrownJewels: p.Config.CrownJewels, Now: p.Config.AsOf}
}

// escIndex maps identities to their nodes, and nodes to their path, in
// the analysis of one configuration.
type escIndex struct {
	node   map[*iam.Identity]*escalate.Node
	path   map[*escalate.Node]*escalate.Path
	admin  map[*escalate.Node]bool
	adminH map[*escalate.Node]escalate.Hop
}

// escIndexKey is the configuration an escIndex's analysis ran with.
type escIndexKey struct{ cfg escalate.ConfigKey }

// escIndexOf runs (once per graph and configuration) the escalation
// analysis with the scan's settings, and indexes it.
func escIndexOf(p *rule.Pass) *escIndex {
	cfg := escConfig(p)
	return graph.Memo(p.Graph, escIndexKey{cfg.Key()}, func() *escIndex {
		a := escalate.Analyze(p.Graph, cfg)
		x := &escIndex{node: map[*iam.Identity]*escalate.Node{}, path: map[*escalate.Node]*escalate.Path{},
			admin: map[*escalate.Node]bool{}, adminH: map[*escalate.Node]escalate.Hop{}}
		for _, n := range a.Nodes {
			if n.Identity != nil {
				x.node[n.Identity] = n
			}
		}
		for _, pa := range a.Paths {
			x.path[pa.From] = pa
		}
		for _, n := range a.Admins {
			x.admin[n] = true
		}
		for _, h := range a.Hops {
			if h.Method == "administrator" && h.To != nil && h.To.Kind == escalate.KindAdmin {
				x.adminH[h.From] = h
			}
		}
		return x
	})
}

// escDescribe renders a path for a message: the chain, then each hop with
// what it does and the file:line of the statements that grant it.
func escDescribe(g *graph.Graph, cfg escalate.Config, pa *escalate.Path) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s). ", pa.String(), escalate.CertaintyWord(pa.Certain))
	for i, h := range pa.Hops {
		if i > 0 {
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "Hop %d, %s -[%s]-> %s (%s): %s", i+1, h.From.Label, h.Method, h.To.Label,
			escalate.CertaintyWord(h.Certain), escalate.DetailFor(h, cfg))
		if sites := escSites(g, h); sites != "" {
			b.WriteString("; granted at " + sites)
		}
		if us := escUnreadable(h); us != "" {
			b.WriteString("; not knowable from code: " + us)
		}
		b.WriteString(".")
	}
	return b.String()
}

func escSites(g *graph.Graph, h escalate.Hop) string {
	var sites []string
	for _, c := range escalate.Cites(g, h) {
		s := c.At()
		if c.AWSManaged && c.File != "" {
			s += " (" + c.Policy + ")"
		}
		sites = append(sites, s)
	}
	return strings.Join(sites, ", ")
}

// escUnreadable names the policies a possible hop's principal has that
// cannot be read from code, with where each is attached.
func escUnreadable(h escalate.Hop) string {
	var out []string
	for _, u := range escalate.Unreadables(h) {
		s := u.Name
		if u.File != "" {
			s += fmt.Sprintf(" (%s:%d)", u.File, u.Line)
		}
		out = append(out, s)
	}
	return strings.Join(out, ", ")
}

// escWhere is where a path is reported: the first statement granting its
// first hop, else the first policy that hop hinges on and cannot be read,
// else the principal itself.
func escWhere(g *graph.Graph, id *iam.Identity, hops []escalate.Hop) graph.Range {
	if len(hops) > 0 {
		if c, ok := escalate.FirstSite(g, hops[0]); ok {
			return c.Range()
		}
		for _, u := range escalate.Unreadables(hops[0]) {
			if u.File != "" && u.Line > 0 {
				return graph.Range{File: u.File, Line: int32(u.Line)} // read from a Range
			}
		}
	}
	return id.Res.Range
}

// escVerdict reports the path of one principal: a certain path fails, a
// possible one is unknown (never a failure), none passes.
func escVerdict(p *rule.Pass, id *iam.Identity, pa *escalate.Path, prefix string) {
	if pa == nil {
		p.Pass(id.Res, "")
		return
	}
	at := escWhere(p.Graph, id, pa.Hops)
	msg := prefix + escDescribe(p.Graph, escConfig(p), pa)
	if pa.Certain == rule.True {
		p.FailAt(id.Res, "", at, "%s", msg)
		return
	}
	p.UnknownAt(id.Res, "", at, "%s Whether each possible hop is allowed depends on what the code does not show "+
		"(a condition, a value known only after apply, the account); review it or make it certain.", msg)
}

var iamEscalationPath = &rule.Rule{
	ID:       "IAM-030",
	Title:    "Principal can escalate to administrator",
	Severity: rule.High,
	Service:  "IAM",
	Rationale: "Conveyor's documentation requires the installer role to be unable to \"gain more access rights\": permissions that " +
		"let a principal rewrite its own policies (iam:CreatePolicyVersion, iam:Put*Policy, iam:Attach*Policy, " +
		"removing its permissions boundary), take over another user (access keys, login profiles), join a group, " +
		"rewrite a role's trust policy, assume a role, or run code as a role (iam:PassRole with new compute, reuse of " +
		"existing compute, EKS access entries and aws-auth) make it an administrator in all but name. eksguard builds " +
		"the escalation graph of every user and role of the scanned code, evaluating each permission the way AWS does " +
		"(explicit deny across policies, NotAction/NotResource, resource ARNs, permissions boundaries, conditions as " +
		"true/false/unknown), and reports a shortest path from each principal that is not administrator to " +
		"administrator rights (or to a --crown-jewel principal), citing the statement that grants every hop. " +
		"A path whose every hop is certain fails; a path with a hop that hinges on what the code cannot show (a " +
		"condition, an ARN known only after apply, an account not stated) is unknown. Severity is high, not " +
		"critical: deploy roles are sometimes meant to manage IAM, and the gate lets such a role through with a " +
		"recorded analysis. Groups are not judged on their own: their policies count for each member.",
	Remediation: "Remove the permission that opens the first hop, or fence it: scope iam:* actions to the exact " +
		"resources the principal must manage (never its own policies or roles), require a permissions boundary on " +
		"roles it creates (iam:PermissionsBoundary condition), deny iam:CreatePolicyVersion/SetDefaultPolicyVersion on " +
		"the policies attached to it, scope iam:PassRole to the roles it must pass with iam:PassedToService, and narrow " +
		"trust policies to the principals that need them. `eksguard iam paths` prints every path as text, JSON or a " +
		"Mermaid graph.",
	Example: `# Deploy role: may create roles only under the platform boundary, never touch its own policies.
data "aws_iam_policy_document" "deploy" {
  statement {
    actions   = ["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy"]
    resources = ["arn:aws:iam::111122223333:role/app-*"]
    condition {
      test     = "StringEquals"
      variable = "iam:PermissionsBoundary"
      values   = ["arn:aws:iam::111122223333:policy/platform-boundary"]
    }
  }
  statement {
    effect    = "Deny"
    actions   = ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeleteRolePermissionsBoundary"]
    resources = ["*"]
  }
}`,
	References: []rule.Reference{RefConveyor, RefAosEdge, escRhinoDoc, escEvalDoc, escBoundaryDoc},
	Types:      []string{"aws_iam_user", "aws_iam_role", "aws_iam_group", "aws_iam_policy", "aws_iam_*_policy", "aws_iam_*_policy_attachment"},
	Run: func(p *rule.Pass) {
		x := escIndexOf(p)
		for _, id := range iam.Build(p.Graph).SortedIdentities() {
			if id.Kind == iam.Group {
				continue
			}
			n := x.node[id]
			if n == nil {
				continue
			}
			escVerdict(p, id, x.path[n], id.Label()+" can become administrator: ")
		}
	},
}

var ciReachesAdmin = &rule.Rule{
	ID:       "CI-003",
	Title:    "CI principal can reach administrator",
	Severity: rule.High,
	Service:  "IAM",
	Rationale: "The DevSecOps settings page runs deployments from CI with OIDC roles, and the CI pipeline post on " +
		"badboysofdevops.com warns that a CI system holding the deployment rights gives them to whoever can change a " +
		"job. Whoever can change a workflow on a " +
		"branch the role trusts, or compromise an action it runs, acts with that role; if the role is administrator " +
		"or can escalate to it, a CI compromise is an account compromise. A CI principal is a role whose trust policy " +
		"admits GitHub Actions' OIDC provider (token.actions.githubusercontent.com) or a role a scanned workflow names " +
		"in role-to-assume. It fails when the role is administrator or has a certain escalation path, is unknown when " +
		"the path is only possible, and passes otherwise. Severity is high: a deploy role that must manage IAM can be " +
		"let through with a recorded analysis.",
	Remediation: "Give the CI role only what the pipeline deploys: no administrator policy, IAM actions scoped to " +
		"the resources it manages with a permissions-boundary condition on roles it creates, iam:PassRole scoped to " +
		"named roles. Split plan (read-only) and apply roles, and narrow the trust policy's sub condition to the " +
		"protected branch or environment that applies.",
	Example: `resource "aws_iam_role" "gha_plan" {
  name = "gha-plan"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" }
      Condition = {
        StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com",
                         "token.actions.githubusercontent.com:sub" = "repo:acme/platform:environment:prod" }
      }
    }]
  })
  managed_policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
}`,
	References: []rule.Reference{RefDevSecOps, RefSecureCIPipeline, escRhinoDoc,
		awsdoc("GitHub Docs: Configuring OpenID Connect in Amazon Web Services",
			"https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services")},
	Types: []string{"aws_iam_role", "aws_iam_openid_connect_provider", "github:workflow"},
	Run: func(p *rule.Pass) {
		x := escIndexOf(p)
		m := iam.Build(p.Graph)
		named := escWorkflowRoles(p.Graph, m)
		for _, id := range m.SortedIdentities() {
			if id.Kind != iam.Role {
				continue
			}
			why := escGitHubTrust(p.Graph, id)
			if why == "" {
				why = named[id]
			}
			if why == "" {
				continue
			}
			n := x.node[id]
			if n == nil {
				continue
			}
			prefix := fmt.Sprintf("CI role %s (%s) ", id.Name, why)
			if x.admin[n] {
				h := x.adminH[n]
				at := escWhere(p.Graph, id, []escalate.Hop{h})
				msg := prefix + "is administrator: " + escalate.DetailFor(h, escConfig(p))
				if sites := escSites(p.Graph, h); sites != "" {
					msg += "; granted at " + sites
				}
				p.FailAt(id.Res, "", at, "%s.", msg)
				continue
			}
			escVerdict(p, id, x.path[n], prefix+"can become administrator: ")
		}
	},
}

// escGitHubHost is GitHub Actions' OIDC issuer.
const escGitHubHost = "token.actions.githubusercontent.com"

// escGitHubTrust tells why a role's trust admits GitHub Actions' OIDC
// provider ("trusts GitHub Actions OIDC at main.tf:12"), or "".
func escGitHubTrust(g *graph.Graph, id *iam.Identity) string {
	if id.Trust == nil {
		return ""
	}
	at := func(st *iam.Statement) string {
		if st.Range.Line == 0 {
			return "trusts GitHub Actions OIDC"
		}
		return fmt.Sprintf("trusts GitHub Actions OIDC at %s:%d", st.Range.File, st.Range.Line)
	}
	// A trust not knowable from code may name the provider too.
	unknownFederated := id.Trust.Unknown
	for _, st := range id.Trust.Statements {
		if !st.EffectUnknown && st.Effect != iam.Allow {
			continue
		}
		fed := st.Principal.ByKind.Get("Federated")
		for _, v := range fed.Values {
			if strings.Contains(strings.ToLower(v), escGitHubHost) {
				return at(st)
			}
		}
		for _, c := range st.Conditions {
			if strings.HasPrefix(strings.ToLower(c.Key), escGitHubHost+":") {
				return at(st)
			}
		}
		if fed.Unknown {
			unknownFederated = true
		}
	}
	if !unknownFederated {
		return ""
	}
	// The provider's ARN is known only after apply: follow the reference
	// (directly, or through an aws_iam_policy_document) to the provider.
	holders := []*graph.Resource{id.Res}
	for _, d := range g.Targets(id.Res, "assume_role_policy") {
		if d.Type == "aws_iam_policy_document" {
			holders = append(holders, d)
		}
	}
	for _, h := range holders {
		for _, e := range g.Out(h) {
			if e.To.Type != "aws_iam_openid_connect_provider" {
				continue
			}
			if u, ok := rule.StringOr(e.To.Get("url"), ""); ok && strings.Contains(strings.ToLower(u), escGitHubHost) {
				return "trusts GitHub Actions OIDC through " + e.To.Address
			}
		}
	}
	return ""
}

// escGHExpr is a GitHub Actions ${{ }} expression.
var escGHExpr = regexp.MustCompile(`\$\{\{.*?\}\}`)

// escWorkflowRoles finds the roles scanned workflows name in
// role-to-assume (any step's with), by ARN (expressions standing for any
// text, the role name written out) or by name.
func escWorkflowRoles(g *graph.Graph, m *iam.Model) map[*iam.Identity]string {
	out := map[*iam.Identity]string{}
	for _, wf := range g.OfType("github:workflow") {
		jobs := wf.Get("jobs")
		for _, jid := range jobs.Keys() {
			for _, st := range jobs.Map.Get(jid).Get("steps").Items() {
				v := st.Get("with", "role-to-assume")
				if v == nil || v.Kind != graph.String {
					continue
				}
				ref := strings.TrimSpace(escGHExpr.ReplaceAllString(v.Str, "*"))
				var roles []*iam.Identity
				switch {
				case strings.HasPrefix(ref, "arn:"):
					name := ref[strings.LastIndexByte(ref, '/')+1:]
					if name != "" && !strings.ContainsAny(name, "*?") {
						roles = m.ByARN(ref)
					}
				case ref != "" && !strings.ContainsAny(ref, "*?:/"):
					roles = m.Named(iam.Role, ref)
				}
				for _, r := range roles {
					if r.Kind == iam.Role && out[r] == "" {
						out[r] = fmt.Sprintf("role-to-assume of %s at %s:%d", wf.Address, v.Range.File, v.Range.Line)
					}
				}
			}
		}
	}
	return out
}
