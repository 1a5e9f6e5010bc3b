// Package iamgen writes a large, realistic IAM estate as Terraform plan
// JSON for escalation benchmarks: per team, users, groups and roles with
// trust policies (users assuming roles, role chains within and across
// teams, account-wide and service trusts), customer managed and inline
// policies mixing scoped and wildcard statements, denies, NotAction,
// conditions (some never true, some unknowable), permissions boundaries,
// AWS managed attachments, group memberships, and a few escalation
// methods (policy versions, self-attach, trust rewrite, access keys).
//
// Generate writes five policies per principal (groups counted as
// principals); GenerateWithGroups writes the shape of the performance
// target, per 1,000 principals (users and roles) 3,000 policies and 200
// groups, with memberships across departments and escalation permissions
// borne by groups.
package iamgen

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Account is the account every generated principal lives in.
const Account = "111122223333"

// Per team: 4 roles, 4 users and 2 groups (10 principals); 20 customer
// managed policies (one of them the team's boundary) and 30 inline
// policies (50 policy documents).
const (
	PrincipalsPerTeam = 10
	PoliciesPerTeam   = 50
)

type obj = map[string]any

// Stats counts what a generator wrote.
type Stats struct {
	// Teams are Generate's teams, or GenerateWithGroups' departments.
	Teams int
	// Principals are users, groups and roles for Generate; users and
	// roles only for GenerateWithGroups, which counts groups apart.
	Principals int
	// Users, Roles and Groups count each kind; Memberships the (user,
	// group) pairs.
	Users, Roles, Groups, Memberships int
	// Policies are the policy documents: customer managed and inline
	// (trust policies not counted).
	Policies  int
	Resources int
}

// Generate returns a plan with about n principals (rounded up to a whole
// team) and five policies per principal. Output is deterministic.
func Generate(n int) ([]byte, Stats) {
	teams := (n + PrincipalsPerTeam - 1) / PrincipalsPerTeam
	g := &gen{}
	for t := 0; t < teams; t++ {
		g.team(t, teams)
	}
	return g.plan(teams)
}

// plan writes what the generator added as Terraform plan JSON, with its
// statistics; teams is how many teams (or departments) it holds.
func (g *gen) plan(teams int) ([]byte, Stats) {
	plan := obj{
		"format_version":    "1.2",
		"terraform_version": "1.9.5",
		"planned_values":    obj{"root_module": obj{"resources": g.planned}},
		"resource_changes":  g.changes,
		"configuration":     obj{"root_module": obj{"resources": g.config}},
	}
	out, err := json.MarshalIndent(plan, "", "  ")
	if err != nil {
		panic(err) // only plain maps and slices: cannot fail
	}
	g.stats.Teams = teams
	g.stats.Resources = len(g.planned)
	return out, g.stats
}

type gen struct {
	planned, changes, config []any
	stats                    Stats
}

func (g *gen) add(typ, name string, values obj, refs obj) {
	addr := typ + "." + name
	g.planned = append(g.planned, obj{"address": addr, "mode": "managed", "type": typ, "name": name,
		"provider_name": "registry.terraform.io/hashicorp/aws", "values": values, "sensitive_values": obj{}})
	g.changes = append(g.changes, obj{"address": addr, "mode": "managed", "type": typ, "name": name,
		"provider_name": "registry.terraform.io/hashicorp/aws",
		"change": obj{"actions": []string{"update"}, "before": values, "after": values, "after_unknown": obj{},
			"before_sensitive": false, "after_sensitive": obj{}}})
	exprs := obj{}
	for k, v := range refs {
		exprs[k] = obj{"references": v}
	}
	g.config = append(g.config, obj{"address": addr, "mode": "managed", "type": typ, "name": name, "expressions": exprs})
}

func ref(addr, attr string) []string { return []string{addr + "." + attr, addr} }

func doc(stmts ...obj) string {
	b, err := json.Marshal(obj{"Version": "2012-10-17", "Statement": stmts})
	if err != nil {
		panic(err)
	}
	return string(b)
}

func arn(kind, name string) string { return "arn:aws:iam::" + Account + ":" + kind + "/" + name }

func allow(actions any, resources any) obj {
	return obj{"Effect": "Allow", "Action": actions, "Resource": resources}
}

// services a team's workload policies touch.
var services = []string{"s3", "dynamodb", "sqs", "sns", "logs", "kms", "secretsmanager", "ssm", "ecr", "lambda"}

// workload returns the i-th workload statement of team t: scoped
// read/write, service wildcards, NotAction, conditions.
func workload(t, i int) obj {
	svc := services[(t+i)%len(services)]
	res := fmt.Sprintf("arn:aws:%s:eu-west-1:%s:team-%04d-%d*", svc, Account, t, i)
	switch i % 8 {
	case 0:
		return allow([]string{svc + ":Get*", svc + ":List*", svc + ":Describe*"}, res)
	case 1:
		return allow([]string{svc + ":Put*", svc + ":Delete*", svc + ":Update*", svc + ":Tag*"}, []string{res, res + "/*"})
	case 2:
		return allow(svc+":*", "*")
	case 3:
		st := allow([]string{svc + ":*", "cloudwatch:PutMetricData"}, "*")
		st["Condition"] = obj{"StringEquals": obj{"aws:SourceVpc": fmt.Sprintf("vpc-%08x", t)}}
		return st
	case 4:
		return obj{"Effect": "Allow", "NotAction": []string{"iam:*", "organizations:*", "account:*", "sts:*"}, "Resource": res}
	case 5:
		return obj{"Effect": "Deny", "Action": []string{svc + ":Delete*"}, "Resource": "*",
			"Condition": obj{"Bool": obj{"aws:MultiFactorAuthPresent": "false"}}}
	case 6:
		st := allow([]string{"ec2:Describe*", "ec2:StartInstances", "ec2:StopInstances"}, "*")
		st["Condition"] = obj{"StringEquals": obj{"aws:ResourceTag/team": fmt.Sprintf("team-%04d", t)}}
		return st
	default:
		return allow([]string{"iam:Get*", "iam:List*", "sts:GetCallerIdentity"}, "*")
	}
}

func (g *gen) team(t, teams int) {
	tn := fmt.Sprintf("team-%04d", t)
	id := func(kind string, i int) string { return fmt.Sprintf("t%04d_%s%d", t, kind, i) }
	name := func(kind string, i int) string { return fmt.Sprintf("%s-%s%d", tn, kind, i) }
	prev := fmt.Sprintf("team-%04d", (t+teams-1)%teams)

	// Groups.
	for i := 0; i < 2; i++ {
		g.add("aws_iam_group", id("g", i), obj{"name": name("g", i), "path": "/", "arn": arn("group", name("g", i))}, nil)
		g.stats.Principals++
		g.stats.Groups++
	}
	// Users, each in one group.
	for i := 0; i < 4; i++ {
		u := id("u", i)
		g.add("aws_iam_user", u, obj{"name": name("u", i), "path": "/", "arn": arn("user", name("u", i))}, nil)
		g.stats.Principals++
		g.stats.Users++
		g.stats.Memberships++
		gr := id("g", i%2)
		g.add("aws_iam_user_group_membership", u+"_groups", obj{"user": name("u", i), "groups": []string{name("g", i%2)}},
			obj{"user": ref("aws_iam_user."+u, "name"), "groups": ref("aws_iam_group."+gr, "name")})
	}
	// Customer managed policies; p19 is the team's boundary.
	for i := 0; i < 20; i++ {
		var stmts []obj
		switch {
		case i == 19:
			stmts = []obj{allow([]string{"s3:*", "dynamodb:*", "sqs:*", "logs:*", "sts:AssumeRole", "iam:Get*", "iam:List*"}, "*")}
		case i == 7 && t%10 == 3:
			// Escalation: may version the team's own policies.
			stmts = []obj{allow([]string{"iam:CreatePolicyVersion", "iam:GetPolicyVersion"}, "arn:aws:iam::"+Account+":policy/"+tn+"-*")}
		case i == 8 && t%25 == 7:
			// Escalation: access keys for any user.
			stmts = []obj{allow("iam:CreateAccessKey", "arn:aws:iam::"+Account+":user/*")}
		case i == 9:
			// Assume the next role of the chain, in this team and the previous one.
			stmts = []obj{allow("sts:AssumeRole", []string{arn("role", tn+"-r*"), arn("role", prev+"-r1")})}
		case i == 10:
			// Only before a date long past: never holds.
			st := allow([]string{"iam:AttachRolePolicy", "iam:PutRolePolicy"}, "*")
			st["Condition"] = obj{"DateLessThan": obj{"aws:CurrentTime": "2020-01-01T00:00:00Z"}}
			stmts = []obj{st}
		case i == 11 && t%5 == 0:
			// Possible: self-attach only with MFA.
			st := allow("iam:AttachRolePolicy", arn("role", tn+"-r0"))
			st["Condition"] = obj{"Bool": obj{"aws:MultiFactorAuthPresent": "true"}}
			stmts = []obj{st}
		default:
			stmts = []obj{workload(t, i), workload(t, i+3), workload(t, i+5)}
		}
		p := id("p", i)
		g.add("aws_iam_policy", p, obj{"name": name("p", i), "path": "/", "arn": "arn:aws:iam::" + Account + ":policy/" + name("p", i),
			"policy": doc(stmts...)}, nil)
		g.stats.Policies++
	}
	// Roles: r0 trusts the team's users, r1 trusts r0 and the previous
	// team's r0 (chains across teams), r2 the account (identity policies
	// decide), r3 EC2; r2 and r3 carry the boundary.
	trusts := []obj{
		{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": obj{"AWS": []string{arn("user", name("u", 0)), arn("user", name("u", 1))}}},
		{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": obj{"AWS": []string{arn("role", name("r", 0)), arn("role", prev+"-r0")}}},
		{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": obj{"AWS": "arn:aws:iam::" + Account + ":root"},
			"Condition": obj{"Bool": obj{"aws:MultiFactorAuthPresent": "true"}}},
		{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": obj{"Service": "ec2.amazonaws.com"}},
	}
	for i := 0; i < 4; i++ {
		v := obj{"name": name("r", i), "path": "/", "arn": arn("role", name("r", i)), "assume_role_policy": doc(trusts[i])}
		var refs obj
		if i >= 2 {
			v["permissions_boundary"] = "arn:aws:iam::" + Account + ":policy/" + name("p", 19)
			refs = obj{"permissions_boundary": ref("aws_iam_policy."+id("p", 19), "arn")}
		}
		g.add("aws_iam_role", id("r", i), v, refs)
		g.stats.Principals++
		g.stats.Roles++
	}
	// Attachments: two customer policies per principal (p0..p18), and AWS
	// managed policies here and there.
	type holder struct{ kind, key, id, name string }
	var holders []holder
	for i := 0; i < 4; i++ {
		holders = append(holders, holder{"role", "role", id("r", i), name("r", i)}, holder{"user", "user", id("u", i), name("u", i)})
	}
	for i := 0; i < 2; i++ {
		holders = append(holders, holder{"group", "group", id("g", i), name("g", i)})
	}
	for h, ho := range holders {
		for k := 0; k < 2; k++ {
			pi := (h*2 + k) % 19
			p := id("p", pi)
			g.add("aws_iam_"+ho.kind+"_policy_attachment", fmt.Sprintf("%s_p%d", ho.id, pi),
				obj{ho.key: ho.name, "policy_arn": "arn:aws:iam::" + Account + ":policy/" + name("p", pi)},
				obj{ho.key: ref("aws_iam_"+ho.kind+"."+ho.id, "name"), "policy_arn": ref("aws_iam_policy."+p, "arn")})
		}
	}
	type grant struct {
		role   int
		policy string
	}
	managed := []grant{{3, "AmazonSSMManagedInstanceCore"}, {3, "AmazonEKSWorkerNodePolicy"}, {1, "ReadOnlyAccess"}}
	if t%20 == 11 {
		managed = append(managed, grant{1, "AdministratorAccess"})
	}
	if t%10 == 6 {
		managed = append(managed, grant{2, "PowerUserAccess"})
	}
	for _, m := range managed {
		r := id("r", m.role)
		g.add("aws_iam_role_policy_attachment", r+"_"+strings.ToLower(m.policy),
			obj{"role": name("r", m.role), "policy_arn": "arn:aws:iam::aws:policy/" + m.policy},
			obj{"role": ref("aws_iam_role."+r, "name")})
	}
	// Inline policies: three per role, user and group.
	for h, ho := range holders {
		for k := 0; k < 3; k++ {
			var stmts []obj
			switch {
			case ho.kind == "user" && k == 0:
				stmts = []obj{allow("sts:AssumeRole", arn("role", tn+"-r*")), workload(t, h)}
			case ho.kind == "role" && k == 0 && h == 2 && t%15 == 4:
				// Escalation: rewrite the trust of any role of the team.
				stmts = []obj{allow([]string{"iam:UpdateAssumeRolePolicy", "sts:AssumeRole"}, arn("role", tn+"-*"))}
			case ho.kind == "group" && k == 2:
				stmts = []obj{{"Effect": "Deny", "Action": []string{"iam:*", "organizations:*"}, "Resource": "*",
					"Condition": obj{"BoolIfExists": obj{"aws:MultiFactorAuthPresent": "false"}}}}
			default:
				stmts = []obj{workload(t, h+k), workload(t, h+k+4)}
			}
			g.add("aws_iam_"+ho.kind+"_policy", fmt.Sprintf("%s_inline%d", ho.id, k),
				obj{"name": fmt.Sprintf("%s-inline%d", ho.name, k), ho.key: ho.name, "policy": doc(stmts...)},
				obj{ho.key: ref("aws_iam_"+ho.kind+"."+ho.id, "name")})
			g.stats.Policies++
		}
	}
}
