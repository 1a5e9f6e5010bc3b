package escalate

import (
	"fmt"
	"strings"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/iam"
	"github.com/eksguard/eksguard/internal/tri"
)

// roleRef is what an attribute naming a role resolves to: the roles of
// the code it names, or why the role it names is not known from code.
type roleRef struct {
	roles []*iam.Identity
	// unknown is set when the attribute is set but names no role of the
	// code: its value is not knowable, or it names a role the code does
	// not declare.
	unknown string
}

// roleRefs resolves the role attribute attr (a dotted path) of r names:
// by reference, by ARN (a partial one too, its account or generated parts
// not known), or by name; a list names each of its elements.
func (c *Context) roleRefs(r *graph.Resource, attr string) roleRef {
	var out roleRef
	seen := map[*iam.Identity]bool{}
	add := func(id *iam.Identity) {
		if id != nil && id.Kind == iam.Role && !seen[id] {
			seen[id] = true
			out.roles = append(out.roles, id)
		}
	}
	for _, t := range c.Graph.Targets(r, attr, "aws_iam_role") {
		if id := c.Model.ForResource(t); id != nil {
			add(id)
			continue
		}
		// A data source: the role of the code with its name, if any.
		if name, ok := knownString(t.Get("name")); ok {
			for _, id := range c.Model.Named(iam.Role, name) {
				add(id)
			}
		}
	}
	if len(out.roles) > 0 {
		return out
	}
	v := r.Get(attr)
	if v.IsNull() {
		return out
	}
	items := []*graph.Value{v}
	if v.Kind == graph.List {
		items = v.List
	}
	for _, e := range items {
		if s, known := iam.ARNOf(e); known && s == "" {
			// Null or empty: no role.
			continue
		}
		found := c.rolesNamedBy(e)
		for _, id := range found {
			add(id)
		}
		if len(found) == 0 && out.unknown == "" {
			out.unknown = unknownWhy(r, attr, e, "role")
		}
	}
	if len(out.roles) > 0 {
		out.unknown = ""
	}
	return out
}

// rolesAt returns the roles of the code attribute attr of r names.
func (c *Context) rolesAt(r *graph.Resource, attr string) []*iam.Identity {
	return c.roleRefs(r, attr).roles
}

// rolesNamedBy returns the roles of the code a value names by ARN (exact
// or partial: an unknown account or generated part matches any) or name.
func (c *Context) rolesNamedBy(v *graph.Value) []*iam.Identity {
	s, known := iam.ARNOf(v)
	if !known || s == "" {
		return nil
	}
	if strings.HasPrefix(s, "arn:") {
		return c.Model.ByARN(anyUnknown(s))
	}
	return c.Model.Named(iam.Role, s)
}

// anyUnknown widens the parts of a partial ARN the code does not state
// (the account, generated parts) to wildcards.
func anyUnknown(arn string) string {
	return strings.ReplaceAll(strings.ReplaceAll(arn, "${Account}", "*"), unknownPart, "*")
}

// unknownWhy says why the value v of r's attribute attr names no kind
// ("role", "instance profile") of the code.
func unknownWhy(r *graph.Resource, attr string, v *graph.Value, kind string) string {
	if s, known := iam.ARNOf(v); known && s != "" {
		return fmt.Sprintf("%s.%s names %s %s, which the code does not declare", r.Address, attr, kind, s)
	}
	why := v.UnknownReason()
	if why == "" {
		why = "its value is not known from code"
	}
	return fmt.Sprintf("%s.%s is not known: %s", r.Address, attr, why)
}

// profilesAt returns the instance profiles attribute attr of r names: a
// name, an ARN, or a block holding either (a launch template's
// iam_instance_profile); why is set when it names one the code does not
// declare or cannot be known.
func (c *Context) profilesAt(r *graph.Resource, attr string) (profiles []*graph.Resource, why string) {
	if ps := c.Graph.Targets(r, attr, "aws_iam_instance_profile"); len(ps) > 0 {
		return ps, ""
	}
	v := r.Get(attr)
	if v.IsNull() {
		return nil, ""
	}
	vals := []*graph.Value{v}
	at := []string{attr}
	if v.Kind == graph.List || v.Kind == graph.Map {
		vals, at = nil, nil
		for _, k := range []string{"name", "arn"} {
			if x := v.Get(k); !x.IsNull() {
				vals, at = append(vals, x), append(at, attr+"."+k)
			}
		}
	}
	for i, x := range vals {
		s, known := iam.ARNOf(x)
		if known && s == "" {
			continue
		}
		if !known {
			if why == "" {
				why = unknownWhy(r, at[i], x, "instance profile")
			}
			continue
		}
		name := s
		if strings.HasPrefix(s, "arn:") {
			name = s[strings.LastIndexByte(s, '/')+1:]
		}
		for _, p := range c.Graph.OfType("aws_iam_instance_profile") {
			if n, _ := knownString(p.Get("name")); n == name {
				profiles = append(profiles, p)
			}
		}
		if len(profiles) > 0 {
			return profiles, ""
		}
		if why == "" {
			why = unknownWhy(r, at[i], x, "instance profile")
		}
	}
	return nil, why
}

// roleTargets are the targets of one resource running as the roles its
// attribute attr names, or as a role the code does not show.
func (c *Context) roleTargets(base reuseTarget, attr string) []reuseTarget {
	return refTargets(base, c.roleRefs(base.res, attr))
}

func refTargets(base reuseTarget, ref roleRef) []reuseTarget {
	var out []reuseTarget
	for _, r := range ref.roles {
		t := base
		t.role = r
		out = append(out, t)
	}
	if len(ref.roles) == 0 && ref.unknown != "" {
		t := base
		t.why = ref.unknown
		out = append(out, t)
	}
	return out
}

// profileTargets are the targets of one resource running with the
// instance profiles attribute attr names.
func (c *Context) profileTargets(base reuseTarget, attr, what string) []reuseTarget {
	profiles, why := c.profilesAt(base.res, attr)
	if len(profiles) == 0 {
		if why == "" {
			return nil
		}
		t := base
		t.why, t.what = why, what
		return []reuseTarget{t}
	}
	var out []reuseTarget
	seen := map[*iam.Identity]bool{}
	for _, p := range profiles {
		b := base
		b.what = what + " with instance profile " + p.Address
		for _, t := range refTargets(b, c.roleRefs(p, "role")) {
			if t.role != nil && seen[t.role] {
				continue
			}
			if t.role != nil {
				seen[t.role] = true
			}
			out = append(out, t)
		}
	}
	return out
}

// arnOr is a resource's ARN attribute when known (exact), else the ARN
// built from what is known of it.
func (c *Context) arnOr(r *graph.Resource, attr, service, resource string) (string, bool) {
	if arn, ok := knownString(r.Get(attr)); ok && strings.HasPrefix(arn, "arn:") {
		return arn, true
	}
	return c.arnIn(service, resource), false
}

// nameOf is a known name attribute, else unknownPart.
func nameOf(r *graph.Resource, attr string) string {
	if n, ok := knownString(r.Get(attr)); ok {
		return n
	}
	return unknownPart
}

// simpleTargetsKey names a resource type and its role attribute.
type simpleTargetsKey struct{ typ, roleAttr string }

// simpleTargets lists, once per graph, the resources of a type running as
// the role of attribute attr.
func simpleTargets(c *Context, typ, roleAttr, what string, arn func(r *graph.Resource) (string, bool)) []reuseTarget {
	return graph.Memo(c.Graph, simpleTargetsKey{typ, roleAttr}, func() []reuseTarget {
		var out []reuseTarget
		for _, r := range c.Graph.OfType(typ) {
			a, exact := arn(r)
			out = append(out, c.roleTargets(reuseTarget{res: r, arn: a, exact: exact, cond: tri.True,
				what: what + " " + r.Address}, roleAttr)...)
		}
		return out
	})
}

// lambdaTargets are the Lambda functions with their execution role.
func lambdaTargets(c *Context) []reuseTarget {
	return simpleTargets(c, "aws_lambda_function", "role", "on function", func(r *graph.Resource) (string, bool) {
		return c.arnOr(r, "arn", "lambda", "function:"+nameOf(r, "function_name"))
	})
}

// stackTargets are the CloudFormation stacks with a service role.
func stackTargets(c *Context) []reuseTarget {
	return simpleTargets(c, "aws_cloudformation_stack", "iam_role_arn", "on stack", func(r *graph.Resource) (string, bool) {
		// A stack's id is its ARN.
		return c.arnOr(r, "id", "cloudformation", "stack/"+nameOf(r, "name")+"/"+unknownPart)
	})
}

// devEndpointTargets are the Glue development endpoints with their role.
func devEndpointTargets(c *Context) []reuseTarget {
	return simpleTargets(c, "aws_glue_dev_endpoint", "role_arn", "on development endpoint", func(r *graph.Resource) (string, bool) {
		return c.arnOr(r, "arn", "glue", "devEndpoint/"+nameOf(r, "name"))
	})
}

// codeBuildTargets are the CodeBuild projects with their service role.
func codeBuildTargets(c *Context) []reuseTarget {
	return simpleTargets(c, "aws_codebuild_project", "service_role", "on project", func(r *graph.Resource) (string, bool) {
		return c.arnOr(r, "arn", "codebuild", "project/"+nameOf(r, "name"))
	})
}

// notebookTargets are the SageMaker notebook instances with their role.
func notebookTargets(c *Context) []reuseTarget {
	return simpleTargets(c, "aws_sagemaker_notebook_instance", "role_arn", "on notebook instance", func(r *graph.Resource) (string, bool) {
		return c.arnOr(r, "arn", "sagemaker", "notebook-instance/"+nameOf(r, "name"))
	})
}

// appRunnerTargets are the App Runner services with their instance role.
func appRunnerTargets(c *Context) []reuseTarget {
	return simpleTargets(c, "aws_apprunner_service", "instance_configuration.instance_role_arn", "on service",
		func(r *graph.Resource) (string, bool) {
			return c.arnOr(r, "arn", "apprunner", "service/"+nameOf(r, "service_name")+"/"+unknownPart)
		})
}

// codeInterpreterTargets are the Bedrock AgentCore code interpreters with
// their execution role. The Terraform type is
// aws_bedrockagentcore_code_interpreter (AWS provider 6.x), whose ARN
// attribute is code_interpreter_arn; CloudFormation's
// AWS::BedrockAgentCore::CodeInterpreterCustom maps to it.
func codeInterpreterTargets(c *Context) []reuseTarget {
	return simpleTargets(c, "aws_bedrockagentcore_code_interpreter", "execution_role_arn", "on code interpreter",
		func(r *graph.Resource) (string, bool) {
			return c.arnOr(r, "code_interpreter_arn", "bedrock-agentcore", "code-interpreter-custom/"+unknownPart)
		})
}

type instanceTargetsKey struct{}

// instanceTargets are the EC2 instances with the role of their instance
// profile.
func instanceTargets(c *Context) []reuseTarget {
	return graph.Memo(c.Graph, instanceTargetsKey{}, func() []reuseTarget {
		var out []reuseTarget
		for _, in := range c.Graph.OfType("aws_instance") {
			arn, exact := c.arnOr(in, "arn", "ec2", "instance/"+nameOf(in, "id"))
			out = append(out, c.profileTargets(reuseTarget{res: in, arn: arn, exact: exact, cond: tri.True},
				"iam_instance_profile", "on instance "+in.Address)...)
		}
		return out
	})
}

type ecsTargetsKey struct{}

// ecsTargets are the ECS services with the task role of their task
// definition; a task definition no service runs is a possible target.
func ecsTargets(c *Context) []reuseTarget {
	return graph.Memo(c.Graph, ecsTargetsKey{}, func() []reuseTarget {
		var out []reuseTarget
		arn := c.arnIn("ecs", "task/"+unknownPart+"/"+unknownPart)
		run := map[*graph.Resource]bool{}
		for _, s := range c.Graph.OfType("aws_ecs_service") {
			exec := s.Get("enable_execute_command").BoolOr(false)
			for _, td := range c.Graph.Targets(s, "task_definition", "aws_ecs_task_definition") {
				run[td] = true
				base := reuseTarget{res: s, arn: arn, cond: exec, extra: []string{"ecs:UpdateService"},
					what: "in a task of service " + s.Address}
				out = append(out, refTargets(base, c.roleRefs(td, "task_role_arn"))...)
			}
		}
		for _, td := range c.Graph.OfType("aws_ecs_task_definition") {
			if run[td] {
				continue
			}
			base := reuseTarget{res: td, arn: arn, cond: tri.Unknown,
				what: "in a task of task definition " + td.Address + " if one runs with execute-command enabled"}
			out = append(out, c.roleTargets(base, "task_role_arn")...)
		}
		return out
	})
}

// templateSpec is where a resource names the launch template it uses:
// the block, and its id, name and version attributes.
type templateSpec struct{ block, id, name, version string }

var (
	asgTemplateSpecs = []templateSpec{
		{"launch_template", "id", "name", "version"},
		{"mixed_instances_policy.launch_template.launch_template_specification", "launch_template_id",
			"launch_template_name", "version"},
	}
	nodeGroupTemplateSpecs = []templateSpec{{"launch_template", "id", "name", "version"}}
)

// templateUse is a launch template a resource uses, at a version.
type templateUse struct {
	lt      *graph.Resource
	version *graph.Value
}

// templatesOf returns the launch templates of the code r uses: by
// reference, or by a known name or id.
func (c *Context) templatesOf(r *graph.Resource, specs []templateSpec) []templateUse {
	var out []templateUse
	for _, sp := range specs {
		if r.Get(sp.block).IsNull() {
			continue
		}
		version := r.Get(sp.block + "." + sp.version)
		lts := c.Graph.Targets(r, sp.block, "aws_launch_template")
		if len(lts) == 0 {
			name, okName := knownString(r.Get(sp.block + "." + sp.name))
			id, okID := knownString(r.Get(sp.block + "." + sp.id))
			for _, lt := range c.Graph.OfType("aws_launch_template") {
				n, _ := knownString(lt.Get("name"))
				i, _ := knownString(lt.Get("id"))
				if (okName && n == name) || (okID && i == id) {
					lts = append(lts, lt)
				}
			}
		}
		for _, lt := range lts {
			out = append(out, templateUse{lt: lt, version: version})
		}
	}
	return out
}

type launchTemplateTargetsKey struct{}

// launchTemplateTargets are the launch templates the code declares with
// the groups launching instances from them: an Auto Scaling group runs the
// template's instance profile role, and takes a new default version unless
// pinned to another (then autoscaling:UpdateAutoScalingGroup is needed); an
// EKS managed node group copies the template, so a new version reaches it
// only through eks:UpdateNodegroupVersion, and its instances run as its
// node role.
func launchTemplateTargets(c *Context) []reuseTarget {
	return graph.Memo(c.Graph, launchTemplateTargetsKey{}, func() []reuseTarget {
		var out []reuseTarget
		ltARN := func(lt *graph.Resource) (string, bool) {
			return c.arnOr(lt, "arn", "ec2", "launch-template/"+nameOf(lt, "id"))
		}
		for _, g := range c.Graph.OfType("aws_autoscaling_group") {
			gARN, gExact := c.arnOr(g, "arn", "autoscaling",
				"autoScalingGroup:"+unknownPart+":autoScalingGroupName/"+nameOf(g, "name"))
			for _, u := range c.templatesOf(g, asgTemplateSpecs) {
				arn, exact := ltARN(u.lt)
				base := reuseTarget{res: u.lt, arn: arn, exact: exact, cond: followsDefault(u.version),
					extra: []string{"autoscaling:UpdateAutoScalingGroup"}, extraARN: gARN, extraExact: gExact}
				out = append(out, c.profileTargets(base, "iam_instance_profile",
					"on launch template "+u.lt.Address+" of Auto Scaling group "+g.Address)...)
			}
		}
		for _, ng := range c.Graph.OfType("aws_eks_node_group") {
			ngARN, ngExact := c.arnOr(ng, "arn", "eks",
				"nodegroup/"+nameOf(ng, "cluster_name")+"/"+nameOf(ng, "node_group_name")+"/"+unknownPart)
			for _, u := range c.templatesOf(ng, nodeGroupTemplateSpecs) {
				arn, exact := ltARN(u.lt)
				base := reuseTarget{res: u.lt, arn: arn, exact: exact, cond: tri.False,
					extra: []string{"eks:UpdateNodegroupVersion"}, extraARN: ngARN, extraExact: ngExact,
					what: "on launch template " + u.lt.Address + " of EKS node group " + ng.Address}
				out = append(out, refTargets(base, c.roleRefs(ng, "node_role_arn"))...)
			}
		}
		return out
	})
}

// followsDefault tells whether an Auto Scaling group's launch template
// version takes a new default version: left out ($Default), $Default or
// $Latest.
func followsDefault(v *graph.Value) tri.Tri {
	s, ok := v.StringOr("$Default")
	switch {
	case !ok:
		return tri.Unknown
	case s == "" || s == "$Default" || s == "$Latest":
		return tri.True
	}
	return tri.False
}

type existingOfKey struct{ typ string }

// existingOf lists, once per graph, the resources of a type a way acts on.
func existingOf(c *Context, typ string, arn func(r *graph.Resource) (string, bool)) []existingRes {
	return graph.Memo(c.Graph, existingOfKey{typ}, func() []existingRes {
		var out []existingRes
		for _, r := range c.Graph.OfType(typ) {
			a, exact := arn(r)
			out = append(out, existingRes{res: r, arn: a, exact: exact})
		}
		return out
	})
}

// glueJobs are the Glue jobs the code declares.
func glueJobs(c *Context) []existingRes {
	return existingOf(c, "aws_glue_job", func(r *graph.Resource) (string, bool) {
		return c.arnOr(r, "arn", "glue", "job/"+nameOf(r, "name"))
	})
}

// stackSets are the CloudFormation stack sets the code declares.
func stackSets(c *Context) []existingRes {
	return existingOf(c, "aws_cloudformation_stack_set", func(r *graph.Resource) (string, bool) {
		return c.arnOr(r, "arn", "cloudformation", "stackset/"+nameOf(r, "name")+":"+unknownPart)
	})
}

// ecsClusters are the ECS clusters the code declares.
func ecsClusters(c *Context) []existingRes {
	return existingOf(c, "aws_ecs_cluster", func(r *graph.Resource) (string, bool) {
		return c.arnOr(r, "arn", "ecs", "cluster/"+nameOf(r, "name"))
	})
}
