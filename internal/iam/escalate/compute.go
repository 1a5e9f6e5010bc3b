package escalate

import (
	"fmt"
	"strings"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/iam"
	"github.com/eksguard/eksguard/internal/rule"
)

// computeMethods run code as a role: pass a role to new compute (EC2,
// Lambda, Glue, CloudFormation, CodeBuild, SageMaker, ECS, Data Pipeline,
// Auto Scaling), or reuse compute that already carries one (Lambda code,
// CloudFormation stacks, SSM, EC2 user data, ECS exec).
var computeMethods = []Method{
	passRoleMethod(passRoleWay{
		name: "iam:PassRole+ec2:RunInstances",
		doc: "Pass a role trusting ec2.amazonaws.com to a new EC2 instance (ec2:RunInstances) through an instance profile " +
			"the code declares for it, or one it creates (iam:CreateInstanceProfile, iam:AddRoleToInstanceProfile), and " +
			"read the role's credentials on the instance.",
		service: "ec2.amazonaws.com", trusts: []string{"ec2.amazonaws.com"},
		alts:    [][]string{{"ec2:RunInstances"}},
		profile: true, what: "a new EC2 instance",
	}),
	passRoleMethod(passRoleWay{
		name: "iam:PassRole+lambda:CreateFunction",
		doc: "Pass a role trusting lambda.amazonaws.com to a new Lambda function (lambda:CreateFunction) and run it " +
			"(lambda:InvokeFunction or lambda:CreateEventSourceMapping).",
		service: "lambda.amazonaws.com", trusts: []string{"lambda.amazonaws.com"},
		alts: [][]string{{"lambda:CreateFunction", "lambda:InvokeFunction"},
			{"lambda:CreateFunction", "lambda:CreateEventSourceMapping"}},
		what: "a new Lambda function",
	}),
	passRoleMethod(passRoleWay{
		name: "iam:PassRole+glue:CreateDevEndpoint",
		doc: "Pass a role trusting glue.amazonaws.com to a new Glue development endpoint (glue:CreateDevEndpoint) or job " +
			"(glue:CreateJob and glue:StartJobRun) and run code as it.",
		service: "glue.amazonaws.com", trusts: []string{"glue.amazonaws.com"},
		alts: [][]string{{"glue:CreateDevEndpoint"}, {"glue:CreateJob", "glue:StartJobRun"}},
		what: "a new Glue development endpoint or job",
	}),
	passRoleMethod(passRoleWay{
		name: "iam:PassRole+cloudformation:CreateStack",
		doc: "Pass a role trusting cloudformation.amazonaws.com to a new CloudFormation stack (cloudformation:CreateStack) " +
			"whose template creates whatever the role may create.",
		service: "cloudformation.amazonaws.com", trusts: []string{"cloudformation.amazonaws.com"},
		alts: [][]string{{"cloudformation:CreateStack"}},
		what: "a new CloudFormation stack",
	}),
	passRoleMethod(passRoleWay{
		name: "iam:PassRole+codebuild:CreateProject",
		doc: "Pass a role trusting codebuild.amazonaws.com to a new CodeBuild project (codebuild:CreateProject) and run a " +
			"build (codebuild:StartBuild) whose buildspec acts as the role.",
		service: "codebuild.amazonaws.com", trusts: []string{"codebuild.amazonaws.com"},
		alts: [][]string{{"codebuild:CreateProject", "codebuild:StartBuild"}},
		what: "a new CodeBuild project",
	}),
	passRoleMethod(passRoleWay{
		name: "iam:PassRole+sagemaker:CreateNotebookInstance",
		doc: "Pass a role trusting sagemaker.amazonaws.com to a new SageMaker notebook instance and open it " +
			"(sagemaker:CreateNotebookInstance and sagemaker:CreatePresignedNotebookInstanceUrl), or to a processing or " +
			"training job (sagemaker:CreateProcessingJob, sagemaker:CreateTrainingJob).",
		service: "sagemaker.amazonaws.com", trusts: []string{"sagemaker.amazonaws.com"},
		alts: [][]string{{"sagemaker:CreateNotebookInstance", "sagemaker:CreatePresignedNotebookInstanceUrl"},
			{"sagemaker:CreateProcessingJob"}, {"sagemaker:CreateTrainingJob"}},
		what: "a new SageMaker notebook or job",
	}),
	passRoleMethod(passRoleWay{
		name: "iam:PassRole+ecs:RunTask",
		doc: "Pass a role trusting ecs-tasks.amazonaws.com as the task role of a new ECS task definition " +
			"(ecs:RegisterTaskDefinition) and run it (ecs:RunTask, ecs:StartTask or ecs:CreateService).",
		service: "ecs-tasks.amazonaws.com", trusts: []string{"ecs-tasks.amazonaws.com"},
		alts: [][]string{{"ecs:RegisterTaskDefinition", "ecs:RunTask"}, {"ecs:RegisterTaskDefinition", "ecs:StartTask"},
			{"ecs:RegisterTaskDefinition", "ecs:CreateService"}},
		what: "a new ECS task",
	}),
	passRoleMethod(passRoleWay{
		name: "iam:PassRole+datapipeline:CreatePipeline",
		doc: "Pass a role trusting datapipeline.amazonaws.com or elasticmapreduce.amazonaws.com to a new Data Pipeline " +
			"(datapipeline:CreatePipeline, datapipeline:PutPipelineDefinition, datapipeline:ActivatePipeline) whose " +
			"activities run commands as the role.",
		service: "datapipeline.amazonaws.com", trusts: []string{"datapipeline.amazonaws.com", "elasticmapreduce.amazonaws.com"},
		alts: [][]string{{"datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition", "datapipeline:ActivatePipeline"}},
		what: "a new Data Pipeline",
	}),
	passRoleMethod(passRoleWay{
		name: "iam:PassRole+autoscaling:CreateAutoScalingGroup",
		doc: "Pass a role trusting ec2.amazonaws.com, through an instance profile, to a new launch configuration " +
			"(autoscaling:CreateLaunchConfiguration) or launch template (ec2:CreateLaunchTemplate) and start instances " +
			"from it (autoscaling:CreateAutoScalingGroup).",
		service: "ec2.amazonaws.com", trusts: []string{"ec2.amazonaws.com"},
		alts: [][]string{{"autoscaling:CreateLaunchConfiguration", "autoscaling:CreateAutoScalingGroup"},
			{"ec2:CreateLaunchTemplate", "autoscaling:CreateAutoScalingGroup"}},
		profile: true, what: "a new Auto Scaling group",
	}),
	reuseMethod(reuseWay{
		name: "lambda:UpdateFunctionCode",
		doc:  "Replace the code of a Lambda function the code declares with the role as its execution role (lambda:UpdateFunctionCode).",
		alts: [][]string{{"lambda:UpdateFunctionCode"}},
		find: lambdaTargets,
	}),
	reuseMethod(reuseWay{
		name: "cloudformation:UpdateStack",
		doc: "Update a CloudFormation stack the code declares with the role as its service role (cloudformation:UpdateStack, " +
			"or cloudformation:CreateChangeSet and cloudformation:ExecuteChangeSet) to a template that acts as the role.",
		alts: [][]string{{"cloudformation:UpdateStack"}, {"cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet"}},
		find: stackTargets,
	}),
	reuseMethod(reuseWay{
		name: "ssm:SendCommand",
		doc:  "Run a command (ssm:SendCommand) on an EC2 instance the code declares whose instance profile holds the role.",
		alts: [][]string{{"ssm:SendCommand"}},
		find: instanceTargets,
	}),
	reuseMethod(reuseWay{
		name: "ssm:StartSession",
		doc:  "Open a Session Manager shell (ssm:StartSession) on an EC2 instance the code declares whose instance profile holds the role.",
		alts: [][]string{{"ssm:StartSession"}},
		find: instanceTargets,
	}),
	reuseMethod(reuseWay{
		name: "ec2:ModifyInstanceAttribute",
		doc: "Stop an EC2 instance the code declares whose instance profile holds the role, replace its user data and start " +
			"it again (ec2:StopInstances, ec2:ModifyInstanceAttribute, ec2:StartInstances).",
		alts: [][]string{{"ec2:StopInstances", "ec2:ModifyInstanceAttribute", "ec2:StartInstances"}},
		find: instanceTargets,
	}),
	reuseMethod(reuseWay{
		name: "ecs:ExecuteCommand",
		doc: "Open a shell in a running task (ecs:ExecuteCommand) of an ECS service the code declares whose task definition " +
			"carries the role as task role; a service without execute-command enabled also needs ecs:UpdateService.",
		alts: [][]string{{"ecs:ExecuteCommand"}},
		find: ecsTargets,
	}),
}

// unknownPart stands for the parts of an ARN the code does not state.
const unknownPart = iam.UnknownPart

// arnIn builds the ARN of a resource the code declares, with the account
// the code states (else ${Account}) and unknown parts for the rest.
func (c *Context) arnIn(service, resource string) string {
	acct := c.Model.Account
	if acct == "" {
		acct = "${Account}"
	}
	return "arn:aws:" + service + ":" + unknownPart + ":" + acct + ":" + resource
}

// allowedOn evaluates action on a resource whose ARN is exact, or only
// partly known (unknown parts written as unknownPart, the account maybe as
// ${Account}): a statement that covers the partial ARN decides; otherwise
// a statement whose Resource could name it makes the request possible,
// never certain.
func (c *Context) allowedOn(id *iam.Identity, action, arn string, exact bool, ctx map[string][]string) iam.Decision {
	d := c.Allowed(id, action, arn, ctx)
	if exact || arn == "" || d.Allowed != rule.False || len(d.Denies) > 0 {
		return d
	}
	a := c.Allowed(id, action, "", ctx)
	if a.Allowed == rule.False {
		return a
	}
	subject := strings.ReplaceAll(strings.ReplaceAll(arn, unknownPart, "*"), "${Account}", "*")
	var could []*iam.Statement
	for _, st := range a.Allows {
		if couldName(st, subject) {
			could = append(could, st)
		}
	}
	if len(could) == 0 {
		return iam.Decision{Allowed: rule.False}
	}
	return iam.Decision{Allowed: rule.TriUnknown, Allows: could, Denies: a.Denies}
}

// couldName tells whether a statement's Resource could name some ARN the
// glob subject stands for.
func couldName(st *iam.Statement, subject string) bool {
	if !st.Resource.Present() || st.Resource.Unknown {
		// NotResource, or a Resource not knowable: it may.
		return true
	}
	for _, p := range st.Resource.Values {
		if globsMeet(starVars(p), subject) {
			return true
		}
	}
	return false
}

// starVars turns policy variables (${aws:username}) into wildcards.
func starVars(p string) string {
	for {
		i := strings.Index(p, "${")
		if i < 0 {
			return p
		}
		j := strings.IndexByte(p[i:], '}')
		if j < 0 {
			return p
		}
		p = p[:i] + "*" + p[i+j+1:]
	}
}

// globsMeet tells whether two IAM globs (* and ?) match a common string.
func globsMeet(p, q string) bool {
	// memo[i][j]: p[i:] and q[j:] can meet; 0 unknown, 1 yes, 2 no.
	memo := make([][]byte, len(p)+1)
	for i := range memo {
		memo[i] = make([]byte, len(q)+1)
	}
	var meet func(i, j int) bool
	meet = func(i, j int) bool {
		if memo[i][j] != 0 {
			return memo[i][j] == 1
		}
		var ok bool
		switch {
		case i < len(p) && p[i] == '*':
			ok = meet(i+1, j) || (j < len(q) && meet(i, j+1))
		case j < len(q) && q[j] == '*':
			ok = meet(i, j+1) || (i < len(p) && meet(i+1, j))
		case i == len(p) || j == len(q):
			ok = i == len(p) && j == len(q)
		default:
			ok = (p[i] == q[j] || p[i] == '?' || q[j] == '?') && meet(i+1, j+1)
		}
		if ok {
			memo[i][j] = 1
		} else {
			memo[i][j] = 2
		}
		return ok
	}
	return meet(0, 0)
}

// conj is the outcome of a set of actions that must all be allowed.
type conj struct {
	t       rule.Tri
	grants  []*iam.Statement
	actions []string
}

// bestOf evaluates alternatives, each a set of actions all needed on the
// resource arn ("" for any), and returns the most certain one.
func (c *Context) bestOf(id *iam.Identity, alts [][]string, arn string, exact bool) conj {
	best := conj{t: rule.False}
	for _, alt := range alts {
		var ds []iam.Decision
		for _, a := range alt {
			ds = append(ds, c.allowedOn(id, a, arn, exact, nil))
		}
		t, grants := All(ds...)
		if t == rule.False {
			continue
		}
		if best.t == rule.False || (best.t == rule.TriUnknown && t == rule.True) {
			best = conj{t: t, grants: grants, actions: alt}
		}
		if t == rule.True {
			break
		}
	}
	return best
}

// passRoleWay describes new compute a role is passed to.
type passRoleWay struct {
	name, doc string
	// service is the iam:PassedToService value of the PassRole check;
	// trusts are the service principals the role's trust must admit (any).
	service string
	trusts  []string
	// alts are the ways to create and run the compute, each a set of
	// actions all needed.
	alts [][]string
	// profile: the role goes in through an EC2 instance profile.
	profile bool
	what    string
}

func passRoleMethod(w passRoleWay) Method {
	return Method{Name: w.name, Doc: w.doc, Find: func(c *Context, from *Node) []Hop {
		id := from.Identity
		if id == nil {
			return nil
		}
		roles := c.serviceRoles(w.trusts)
		if len(roles) == 0 {
			return nil
		}
		pctx := map[string][]string{"iam:PassedToService": {w.service}}
		if c.Allowed(id, "iam:PassRole", "", pctx).Allowed == rule.False {
			return nil
		}
		run := c.bestOf(id, w.alts, "", false)
		if run.t == rule.False {
			return nil
		}
		var out []Hop
		for _, st := range roles {
			pass := c.Allowed(id, "iam:PassRole", st.role.ARN, pctx)
			if pass.Allowed == rule.False {
				continue
			}
			t, grants := All(pass)
			t = rule.And(t, run.t, st.trust)
			grants = append(grants, run.grants...)
			detail := fmt.Sprintf("passes %s to %s (%s)", st.role.Label(), w.what, strings.Join(run.actions, ", "))
			if w.profile {
				p := c.instanceProfile(id, st.role)
				if p.t == rule.False {
					continue
				}
				t = rule.And(t, p.t)
				grants = append(grants, p.grants...)
				detail += " " + p.what
			}
			if t == rule.False {
				continue
			}
			out = append(out, Hop{From: from, To: c.IdentityNode(st.role), Method: w.name, Certain: t,
				Grants: dedup(append(grants, st.stmts...)), Detail: detail})
		}
		return out
	}}
}

// profileWay is how a role gets into an instance profile.
type profileWay struct {
	t      rule.Tri
	grants []*iam.Statement
	what   string
}

// instanceProfile finds an instance profile for role: one the code
// declares with it, or a new one id may create.
func (c *Context) instanceProfile(id *iam.Identity, role *iam.Identity) profileWay {
	if ps := c.profilesOf(role); len(ps) > 0 {
		return profileWay{t: rule.True, what: "through instance profile " + ps[0].Address}
	}
	t, grants := All(c.Allowed(id, "iam:CreateInstanceProfile", "", nil),
		c.Allowed(id, "iam:AddRoleToInstanceProfile", "", nil))
	return profileWay{t: t, grants: grants, what: "through a new instance profile (iam:CreateInstanceProfile, iam:AddRoleToInstanceProfile)"}
}

// profilesOf returns the aws_iam_instance_profile resources holding role.
func (c *Context) profilesOf(role *iam.Identity) []*graph.Resource {
	idx := c.Graph.Memo("escalate.compute.profiles", func() any {
		m := map[*iam.Identity][]*graph.Resource{}
		for _, p := range c.Graph.OfType("aws_iam_instance_profile") {
			for _, r := range c.rolesAt(p, "role") {
				m[r] = append(m[r], p)
			}
		}
		return m
	}).(map[*iam.Identity][]*graph.Resource)
	return idx[role]
}

// rolesAt returns the roles attribute attr of r names: by reference, by
// ARN, or by name.
func (c *Context) rolesAt(r *graph.Resource, attr string) []*iam.Identity {
	var out []*iam.Identity
	seen := map[*iam.Identity]bool{}
	add := func(id *iam.Identity) {
		if id != nil && id.Kind == iam.Role && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	for _, t := range c.Graph.Targets(r, attr, "aws_iam_role") {
		add(c.Model.ForResource(t))
	}
	if len(out) > 0 {
		return out
	}
	vals, _ := rule.Strings(r.Get(attr))
	for _, v := range vals {
		if strings.HasPrefix(v, "arn:") {
			for _, id := range c.Model.ByARN(v) {
				add(id)
			}
			continue
		}
		for _, id := range c.Model.Named(iam.Role, v) {
			add(id)
		}
	}
	return out
}

// serviceTrust is a role whose trust admits a service principal.
type serviceTrust struct {
	role  *iam.Identity
	trust rule.Tri
	stmts []*iam.Statement
}

// serviceRoles lists the roles whose trust may admit one of the service
// principals, computed once per graph and set of services.
func (c *Context) serviceRoles(services []string) []serviceTrust {
	key := "escalate.compute.trust:" + strings.Join(services, ",")
	return c.Graph.Memo(key, func() any {
		var out []serviceTrust
		for _, r := range c.Model.SortedIdentities() {
			if r.Kind != iam.Role {
				continue
			}
			if t, stmts := trustsService(r, services); t != rule.False {
				out = append(out, serviceTrust{role: r, trust: t, stmts: stmts})
			}
		}
		return out
	}).([]serviceTrust)
}

// trustsService tells whether role's trust policy lets one of the service
// principals call sts:AssumeRole, with the statements that do.
func trustsService(role *iam.Identity, services []string) (rule.Tri, []*iam.Statement) {
	if role.Trust == nil {
		return rule.False, nil
	}
	if role.Trust.Unknown {
		return rule.TriUnknown, nil
	}
	allow, deny := rule.False, rule.False
	var stmts []*iam.Statement
	for _, st := range role.Trust.Statements {
		act := st.Matches(iam.Request{Action: "sts:AssumeRole", AnyResource: true})
		if act == rule.False {
			continue
		}
		m := rule.And(act, admitsService(st.Principal, services))
		if m == rule.False {
			continue
		}
		switch {
		case st.EffectUnknown:
			allow, deny = rule.Or(allow, rule.TriUnknown), rule.Or(deny, rule.TriUnknown)
			stmts = append(stmts, st)
		case st.Effect == iam.Deny:
			deny = rule.Or(deny, m)
		default:
			allow = rule.Or(allow, m)
			stmts = append(stmts, st)
		}
	}
	return rule.And(allow, deny.Not()), stmts
}

// admitsService tells whether a Principal element names one of the
// services (or anyone).
func admitsService(p iam.Principal, services []string) rule.Tri {
	if p.Unknown {
		return rule.TriUnknown
	}
	if p.Any {
		return rule.True
	}
	s, ok := p.ByKind["Service"]
	if !ok {
		return rule.False
	}
	for _, v := range s.Values {
		for _, svc := range services {
			if iam.Glob(v, svc, true) {
				return rule.True
			}
		}
	}
	if s.Unknown {
		return rule.TriUnknown
	}
	return rule.False
}

// reuseWay describes compute the code declares that already runs as a
// role.
type reuseWay struct {
	name, doc string
	alts      [][]string
	find      func(c *Context) []reuseTarget
}

// reuseTarget is one declared resource running as role.
type reuseTarget struct {
	res  *graph.Resource
	role *iam.Identity
	// arn is the resource's ARN; exact when fully known.
	arn   string
	exact bool
	// cond caps the hop (ECS exec enabled or not known); extra are
	// actions needed besides the method's when cond is not certain.
	cond  rule.Tri
	extra []string
	what  string
}

func reuseMethod(w reuseWay) Method {
	return Method{Name: w.name, Doc: w.doc, Find: func(c *Context, from *Node) []Hop {
		id := from.Identity
		if id == nil {
			return nil
		}
		targets := w.find(c)
		// A principal allowed none of the actions on any resource is
		// not checked against each target.
		if len(targets) == 0 || c.bestOf(id, w.alts, "", false).t == rule.False {
			return nil
		}
		var out []Hop
		for _, tg := range targets {
			run := c.bestOf(id, w.alts, tg.arn, tg.exact)
			if run.t == rule.False {
				continue
			}
			t, grants := run.t, run.grants
			if tg.cond != rule.True && len(tg.extra) > 0 {
				// Not enabled (or not known to be): enabling it is needed
				// too, unless it already is.
				ex := c.bestOf(id, [][]string{tg.extra}, tg.arn, tg.exact)
				t = rule.And(t, rule.Or(tg.cond, ex.t))
				grants = append(grants, ex.grants...)
			} else if len(tg.extra) == 0 {
				t = rule.And(t, tg.cond)
			}
			if t == rule.False {
				continue
			}
			out = append(out, Hop{From: from, To: c.IdentityNode(tg.role), Method: w.name, Certain: t,
				Grants: dedup(grants), Detail: fmt.Sprintf("uses %s %s (%s), which runs as %s", strings.Join(run.actions, ", "),
					tg.what, fileLine(tg.res), tg.role.Label())})
		}
		return out
	}}
}

// where renders "aws_lambda_function.f (main.tf:3)".
func where(r *graph.Resource) string {
	if r.Range.Line > 0 {
		return r.Address + " (" + fileLine(r) + ")"
	}
	return r.Address
}

// fileLine renders "main.tf:3", where a resource is declared.
func fileLine(r *graph.Resource) string {
	if r.Range.Line > 0 {
		return fmt.Sprintf("%s:%d", r.Range.File, r.Range.Line)
	}
	return r.Range.File
}

func knownString(v *graph.Value) (string, bool) {
	s, ok := rule.StringOr(v, "")
	return s, ok && s != ""
}

// lambdaTargets are the Lambda functions with their execution role.
func lambdaTargets(c *Context) []reuseTarget {
	return c.Graph.Memo("escalate.compute.lambda", func() any {
		var out []reuseTarget
		for _, f := range c.Graph.OfType("aws_lambda_function") {
			arn, exact := knownString(f.Get("arn"))
			if !exact {
				name, ok := knownString(f.Get("function_name"))
				if !ok {
					name = unknownPart
				}
				arn = c.arnIn("lambda", "function:"+name)
			}
			for _, r := range c.rolesAt(f, "role") {
				out = append(out, reuseTarget{res: f, role: r, arn: arn, exact: exact, cond: rule.True,
					what: "on function " + f.Address})
			}
		}
		return out
	}).([]reuseTarget)
}

// stackTargets are the CloudFormation stacks with a service role.
func stackTargets(c *Context) []reuseTarget {
	return c.Graph.Memo("escalate.compute.stacks", func() any {
		var out []reuseTarget
		for _, s := range c.Graph.OfType("aws_cloudformation_stack") {
			arn, exact := knownString(s.Get("id"))
			if !exact || !strings.HasPrefix(arn, "arn:") {
				name, ok := knownString(s.Get("name"))
				if !ok {
					name = unknownPart
				}
				arn, exact = c.arnIn("cloudformation", "stack/"+name+"/"+unknownPart), false
			}
			for _, r := range c.rolesAt(s, "iam_role_arn") {
				out = append(out, reuseTarget{res: s, role: r, arn: arn, exact: exact, cond: rule.True,
					what: "on stack " + s.Address})
			}
		}
		return out
	}).([]reuseTarget)
}

// instanceTargets are the EC2 instances with the role of their instance
// profile.
func instanceTargets(c *Context) []reuseTarget {
	return c.Graph.Memo("escalate.compute.instances", func() any {
		var out []reuseTarget
		for _, in := range c.Graph.OfType("aws_instance") {
			arn, exact := knownString(in.Get("arn"))
			if !exact {
				iid, ok := knownString(in.Get("id"))
				if !ok {
					iid = unknownPart
				}
				arn = c.arnIn("ec2", "instance/"+iid)
			}
			var profiles []*graph.Resource
			profiles = append(profiles, c.Graph.Targets(in, "iam_instance_profile", "aws_iam_instance_profile")...)
			if len(profiles) == 0 {
				if name, ok := knownString(in.Get("iam_instance_profile")); ok {
					for _, p := range c.Graph.OfType("aws_iam_instance_profile") {
						if n, _ := knownString(p.Get("name")); n == name {
							profiles = append(profiles, p)
						}
					}
				}
			}
			seen := map[*iam.Identity]bool{}
			for _, p := range profiles {
				for _, r := range c.rolesAt(p, "role") {
					if seen[r] {
						continue
					}
					seen[r] = true
					out = append(out, reuseTarget{res: in, role: r, arn: arn, exact: exact, cond: rule.True,
						what: "on instance " + in.Address + " with instance profile " + p.Address})
				}
			}
		}
		return out
	}).([]reuseTarget)
}

// ecsTargets are the ECS services with the task role of their task
// definition; a task definition no service runs is a possible target.
func ecsTargets(c *Context) []reuseTarget {
	return c.Graph.Memo("escalate.compute.ecs", func() any {
		var out []reuseTarget
		arn := c.arnIn("ecs", "task/"+unknownPart+"/"+unknownPart)
		run := map[*graph.Resource]bool{}
		for _, s := range c.Graph.OfType("aws_ecs_service") {
			exec := rule.BoolOr(s.Get("enable_execute_command"), false)
			for _, td := range c.Graph.Targets(s, "task_definition", "aws_ecs_task_definition") {
				run[td] = true
				for _, r := range c.rolesAt(td, "task_role_arn") {
					out = append(out, reuseTarget{res: s, role: r, arn: arn, cond: exec, extra: []string{"ecs:UpdateService"},
						what: "in a task of service " + s.Address})
				}
			}
		}
		for _, td := range c.Graph.OfType("aws_ecs_task_definition") {
			if run[td] {
				continue
			}
			for _, r := range c.rolesAt(td, "task_role_arn") {
				out = append(out, reuseTarget{res: td, role: r, arn: arn, cond: rule.TriUnknown,
					what: "in a task of task definition " + td.Address + " if one runs with execute-command enabled"})
			}
		}
		return out
	}).([]reuseTarget)
}
