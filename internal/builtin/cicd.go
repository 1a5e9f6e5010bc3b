package builtin

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/rule"
)

// CI/CD (the DevSecOps settings page and the CI pipeline post on badboysofdevops.com): GitHub Actions workflows that reach AWS.
// Workflows reach the graph as "github:workflow" resources whose attributes
// are the workflow document (on, permissions, env, jobs).

var cicdRules = []*rule.Rule{ciStoredKeys, ciOIDCPermission}

const typeWorkflow = "github:workflow"

var (
	ghOIDCDoc = awsdoc("GitHub Docs: Configuring OpenID Connect in Amazon Web Services",
		"https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services")
	configureCredsDoc = awsdoc("aws-actions/configure-aws-credentials: OIDC", "https://github.com/aws-actions/configure-aws-credentials#oidc")
	ghTokenPermsDoc   = awsdoc("GitHub Docs: Controlling permissions for GITHUB_TOKEN",
		"https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/controlling-permissions-for-github_token")
)

// wfJob is one job of a workflow.
type wfJob struct {
	id   string
	path string // dotted path of the job in the workflow
	v    *graph.Value
}

// jobs lists a workflow's jobs in key order.
func jobs(wf *graph.Resource) []wfJob {
	js := wf.Get("jobs")
	var out []wfJob
	for _, id := range js.Keys() {
		if j := js.Map.Get(id); j != nil && j.Kind == graph.Map {
			out = append(out, wfJob{id: id, path: "jobs." + id, v: j})
		}
	}
	return out
}

// step is one step of a job.
type step struct {
	path string
	v    *graph.Value
}

func (j wfJob) steps() []step {
	var out []step
	for i, s := range j.v.Get("steps").Items() {
		if s != nil && s.Kind == graph.Map {
			out = append(out, step{path: j.path + ".steps." + strconv.Itoa(i), v: s})
		}
	}
	return out
}

// usesConfigureCredentials tells the official AWS credentials action.
func usesConfigureCredentials(s *graph.Value) bool {
	u := s.Get("uses")
	return u != nil && u.Kind == graph.String &&
		strings.HasPrefix(strings.ToLower(strings.TrimSpace(u.Str)), "aws-actions/configure-aws-credentials@")
}

// ghExpr matches one ${{ }} expression.
var ghExpr = regexp.MustCompile(`\$\{\{(.*?)\}\}`)

// storedRef matches the contexts whose values are stored with the
// repository or organization: secrets and configuration variables.
var storedRef = regexp.MustCompile(`\b(secrets|vars)\s*(\.|\[)`)

// keySource classifies the value given to an AWS key setting: True when it
// is stored (a secret, a variable, or written in the workflow), unknown when
// an expression computes it at run time (a step output, a reusable
// workflow's input), False when empty or not a string.
func keySource(v *graph.Value) (rule.Tri, string) {
	switch {
	case v.IsUnknown():
		return rule.TriUnknown, "is known only at run time"
	case v == nil || v.Kind != graph.String || strings.TrimSpace(v.Str) == "":
		return rule.False, ""
	}
	exprs := ghExpr.FindAllStringSubmatch(v.Str, -1)
	if len(exprs) == 0 {
		return rule.True, "is written in the workflow itself"
	}
	for _, e := range exprs {
		if m := storedRef.FindStringSubmatch(e[1]); m != nil {
			return rule.True, "comes from a stored " + map[string]string{"secrets": "secret", "vars": "configuration variable"}[m[1]]
		}
	}
	return rule.TriUnknown, "comes from " + strings.TrimSpace(exprs[0][0]) + ", known only at run time"
}

// awsKeyVars are the environment variables and action inputs that carry an
// access key.
var (
	awsKeyEnv    = []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
	awsKeyInputs = []string{"aws-access-key-id", "aws-secret-access-key"}
)

// keyPlace judges one mapping (an env block, a step's with, a reusable
// workflow call's secrets) that may hand an access key to a job: the
// first key setting decides, a stored one over an unknown one.
func keyPlace(p *rule.Pass, wf *graph.Resource, block *graph.Value, path string, names []string, what string) bool {
	if block == nil || block.Kind != graph.Map {
		return false
	}
	verdict, why, at, atPath := rule.False, "", graph.Range{}, ""
	for _, n := range names {
		v, key := lookupFold(block, n)
		if v == nil {
			continue
		}
		t, w := keySource(v)
		if t == rule.True || (t == rule.TriUnknown && verdict == rule.False) {
			verdict, why, at, atPath = t, w, v.Range, path+"."+key
		}
		if t == rule.True {
			break
		}
	}
	switch verdict {
	case rule.True:
		p.FailAt(wf, atPath, at, "%s hands a stored AWS access key to the job: %s %s; use OIDC (id-token: write and role-to-assume)",
			what, lastSegment(atPath), why)
	case rule.TriUnknown:
		p.UnknownAt(wf, atPath, at, "%s sets %s, which %s: whether it is a stored key cannot be told", what, lastSegment(atPath), why)
	default:
		return false
	}
	return true
}

// lookupFold finds a map key case-insensitively (environment variable names
// are case-sensitive on Linux, but runners on Windows are not, and a
// lower-cased aws_access_key_id is still a key).
func lookupFold(m *graph.Value, name string) (*graph.Value, string) {
	if v := m.Map.Get(name); v != nil {
		return v, name
	}
	for _, k := range m.Keys() {
		if strings.EqualFold(strings.ReplaceAll(k, "_", "-"), strings.ReplaceAll(name, "_", "-")) {
			return m.Map.Get(k), k
		}
	}
	return nil, ""
}

func lastSegment(path string) string {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[i+1:]
	}
	return path
}

// cliKeyCommand matches a run script that writes an access key for the
// CLI: aws configure set aws_access_key_id ..., or an export of the
// variables.
var cliKeyCommand = regexp.MustCompile(`(?i)(aws\s+configure\s+set\s+(aws_access_key_id|aws_secret_access_key)|(export\s+)?AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY)=)`)

var ciStoredKeys = &rule.Rule{
	ID:       "CI-001",
	Title:    "GitHub Actions workflow uses stored AWS access keys instead of OIDC",
	Severity: rule.High,
	Service:  "CI/CD",
	Types:    []string{typeWorkflow},
	Rationale: "The DevSecOps settings page: \"Do not store security tokens to pipelines; use OIDC authentication\". An access key kept in " +
		"GitHub secrets or variables is long-lived: anyone who can change a workflow on a branch, a compromised action " +
		"or a leaked log can exfiltrate it and use it from anywhere until it is rotated. With OIDC the job asks GitHub " +
		"for a signed token and exchanges it for role credentials that expire within the hour, and the role's trust " +
		"policy decides which repository, branch or environment may assume it. Flagged: " +
		"aws-actions/configure-aws-credentials given aws-access-key-id or aws-secret-access-key, " +
		"AWS_ACCESS_KEY_ID or AWS_SECRET_ACCESS_KEY in the env of the workflow, a job, a container or a step, passed " +
		"to a reusable workflow as secrets, or written by a run script (aws configure set, export), when the value is " +
		"a secret, a configuration variable or written literally. A value computed at run time (a step output, an " +
		"input) gives an unknown verdict; a configure-aws-credentials step that assumes a role without keys passes.",
	Remediation: "Create an IAM OIDC provider for token.actions.githubusercontent.com and a role whose trust policy " +
		"admits only your repository (sub condition), grant the job id-token: write, configure the credentials with " +
		"role-to-assume, then delete the stored keys and the IAM user's access keys.",
	Example: `permissions:
  id-token: write
  contents: read
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::111122223333:role/github-deploy
          aws-region: eu-west-1`,
	References: []rule.Reference{RefDevSecOps, RefSecureCIPipeline, ghOIDCDoc, configureCredsDoc},
	Run: func(p *rule.Pass) {
		for _, wf := range p.Graph.OfType(typeWorkflow) {
			keyPlace(p, wf, wf.Get("env"), "env", awsKeyEnv, "the workflow env")
			for _, j := range jobs(wf) {
				keyPlace(p, wf, j.v.Get("env"), j.path+".env", awsKeyEnv, "job "+j.id+"'s env")
				keyPlace(p, wf, j.v.Get("container", "env"), j.path+".container.env", awsKeyEnv, "job "+j.id+"'s container env")
				svcs := j.v.Get("services")
				for _, name := range svcs.Keys() {
					keyPlace(p, wf, svcs.Map.Get(name).Get("env"), j.path+".services."+name+".env", awsKeyEnv, "service "+name+" of job "+j.id)
				}
				keyPlace(p, wf, j.v.Get("secrets"), j.path+".secrets", awsKeyEnv, "the reusable workflow call "+j.id)
				for _, s := range j.steps() {
					keyPlace(p, wf, s.v.Get("env"), s.path+".env", awsKeyEnv, "a step of job "+j.id)
					judged := keyPlace(p, wf, s.v.Get("with"), s.path+".with", awsKeyInputs, "a step of job "+j.id)
					if !judged && usesConfigureCredentials(s.v) && nonEmpty(s.v.Get("with", "role-to-assume")) {
						u := s.v.Get("uses")
						p.PassAt(wf, s.path+".uses", u.Range)
					}
					runScriptKeys(p, wf, j, s)
				}
			}
		}
	},
}

// runScriptKeys flags a run script that writes a stored access key for the
// CLI.
func runScriptKeys(p *rule.Pass, wf *graph.Resource, j wfJob, s step) {
	run := s.v.Get("run")
	if run == nil || run.Kind != graph.String {
		return
	}
	for _, ln := range strings.Split(run.Str, "\n") {
		if !cliKeyCommand.MatchString(ln) {
			continue
		}
		t, why := keySource(&graph.Value{Kind: graph.String, Str: ln[cliKeyCommand.FindStringIndex(ln)[1]:]})
		switch t {
		case rule.True:
			if !strings.Contains(why, "stored") && !accessKeyLiteral.MatchString(ln) {
				// A shell variable ($KEY) or command output, not a key
				// written into the script.
				continue
			}
			p.FailAt(wf, s.path+".run", run.Range, "a run script of job %s writes an AWS access key whose value %s; use OIDC (id-token: write and role-to-assume)", j.id, why)
		case rule.TriUnknown:
			p.UnknownAt(wf, s.path+".run", run.Range, "a run script of job %s writes an AWS access key whose value %s: whether it is a stored key cannot be told", j.id, why)
		default:
			continue
		}
		return
	}
}

// accessKeyLiteral matches an access key ID written out.
var accessKeyLiteral = regexp.MustCompile(`\bAKIA[A-Z0-9]{16}\b`)

func nonEmpty(v *graph.Value) bool {
	return v.IsUnknown() || (v != nil && v.Kind == graph.String && strings.TrimSpace(v.Str) != "")
}

var ciOIDCPermission = &rule.Rule{
	ID:       "CI-002",
	Title:    "GitHub Actions job assumes an AWS role through OIDC without id-token: write",
	Severity: rule.Low,
	Service:  "CI/CD",
	Types:    []string{typeWorkflow},
	Rationale: "aws-actions/configure-aws-credentials with role-to-assume and no keys asks GitHub for an OIDC token, " +
		"which the job only gets with the permission id-token: write. The default GITHUB_TOKEN permissions, permissive " +
		"or restricted, grant no id-token, and a permissions block that does not name it sets it to none, so the step " +
		"fails; the usual \"fix\" under pressure is to go back to stored keys (the DevSecOps settings page). A job's permissions replace " +
		"the workflow's; write-all grants it. A workflow run only through workflow_call without permissions of its own " +
		"takes the caller's, which gives an unknown verdict.",
	Remediation: "Add id-token: write (with contents: read) to the permissions of the job, or of the workflow.",
	Example: `jobs:
  deploy:
    runs-on: ubuntu-latest
    permissions:
      id-token: write
      contents: read
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::111122223333:role/github-deploy
          aws-region: eu-west-1`,
	References: []rule.Reference{RefDevSecOps, ghOIDCDoc, ghTokenPermsDoc, configureCredsDoc},
	Run: func(p *rule.Pass) {
		for _, wf := range p.Graph.OfType(typeWorkflow) {
			for _, j := range jobs(wf) {
				var grant rule.Tri = -1
				var why string
				for _, s := range j.steps() {
					role := s.v.Get("with", "role-to-assume")
					if !usesConfigureCredentials(s.v) || !nonEmpty(role) || !oidcStep(s.v) {
						continue
					}
					if grant < 0 {
						grant, why = idTokenGranted(wf, j)
					}
					path := s.path + ".with.role-to-assume"
					switch grant {
					case rule.True:
						p.PassAt(wf, path, role.Range)
					case rule.False:
						p.FailAt(wf, path, role.Range, "job %s assumes its role through OIDC but %s: the step cannot get a token", j.id, why)
					default:
						p.UnknownAt(wf, path, role.Range, "job %s assumes its role through OIDC and %s", j.id, why)
					}
				}
			}
		}
	},
}

// oidcStep tells whether a configure-aws-credentials step with a role uses
// the GitHub OIDC token: no access key, no token file, no role chaining.
func oidcStep(s *graph.Value) bool {
	with := s.Get("with")
	for _, k := range []string{"aws-access-key-id", "web-identity-token-file"} {
		if v, _ := lookupFold(with, k); v != nil && nonEmpty(v) {
			return false
		}
	}
	if v, _ := lookupFold(with, "role-chaining"); v != nil && rule.BoolOr(v, false) != rule.False {
		return false
	}
	return true
}

// idTokenGranted tells whether a job's token may request an OIDC token.
func idTokenGranted(wf *graph.Resource, j wfJob) (rule.Tri, string) {
	perms, where := j.v.Get("permissions"), "job "+j.id+"'s permissions"
	if perms == nil {
		perms, where = wf.Get("permissions"), "the workflow's permissions"
	}
	switch {
	case perms.IsUnknown():
		return rule.TriUnknown, where + " are known only at run time"
	case perms == nil || perms.Kind == graph.Null:
		if onlyWorkflowCall(wf.Get("on")) {
			return rule.TriUnknown, "sets no permissions: as a reusable workflow it runs with its caller's, which the scan cannot see"
		}
		return rule.False, "no permissions block grants id-token: write (the default token, permissive or restricted, has none)"
	case perms.Kind == graph.String:
		if strings.TrimSpace(perms.Str) == "write-all" {
			return rule.True, ""
		}
		return rule.False, where + " are " + perms.Str + ", which does not include id-token: write"
	case perms.Kind == graph.Map:
		v := perms.Map.Get("id-token")
		if v != nil && v.Kind == graph.String && strings.TrimSpace(v.Str) == "write" {
			return rule.True, ""
		}
		return rule.False, where + " do not grant id-token: write"
	}
	return rule.False, where + " are not a mapping or write-all"
}

// onlyWorkflowCall tells whether workflow_call is a workflow's only trigger.
func onlyWorkflowCall(on *graph.Value) bool {
	var events []string
	switch {
	case on == nil:
		return false
	case on.Kind == graph.String:
		events = []string{on.Str}
	case on.Kind == graph.List:
		events, _ = rule.Strings(on)
	case on.Kind == graph.Map:
		events = on.Keys()
	}
	return len(events) == 1 && events[0] == "workflow_call"
}
