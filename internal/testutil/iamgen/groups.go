package iamgen

import (
	"fmt"
	"strings"
)

// The estate of GenerateWithGroups is made of departments. Per department:
// 5 users and 5 roles (10 principals), 2 groups, 12 customer managed
// policies (one of them the department's boundary) and 18 inline policies
// (30 policy documents). 100 departments are the shape of the performance
// target: 1,000 principals, 3,000 policies, 200 groups.
const (
	DeptPrincipals = 10
	DeptGroups     = 2
	DeptPolicies   = 30
)

// GenerateWithGroups returns a plan with about n principals (users and
// roles, rounded up to a whole department), three policies per principal
// and a group per five principals, with group memberships (each user in
// its department's groups, some in another department's too, written both
// as aws_iam_user_group_membership and aws_iam_group_membership) and
// policies borne by groups: inline group policies and attachments, AWS
// managed and customer managed. Besides role chains, open trusts,
// boundaries, denies and conditions, some departments hold group-borne
// escalation permissions:
//
//   - d%20 == 0: the ops group is administrator (AdministratorAccess);
//   - d%10 == 3: the dev group may add users to that administrator group
//     (of department d - d%20) (iam:AddUserToGroup);
//   - d%10 == 5: the dev group holds iam:* over its department's IAM
//     resources (delegated IAM administration);
//   - d%10 == 6: the dev group may add users to that iam:* group of
//     department d-1;
//   - d%10 == 7: the ops group may write its own inline policy
//     (iam:PutGroupPolicy);
//   - d%10 == 8: the ops group may attach policies to itself, with MFA
//     only (iam:AttachGroupPolicy, a possible hop);
//   - d%10 == 9: a user may create access keys for a member of that
//     administrator group (iam:CreateAccessKey);
//   - d%10 == 2: a user may pass its department's Lambda role to a new
//     function (iam:PassRole with lambda:CreateFunction); the role is
//     administrator when d%20 == 2.
//
// Administrators are about 2% of the principals: the ops group members of
// every twentieth department, and one or two roles in others.
//   - d%10 == 1 and 4: the ops group denies iam:* without MFA.
//
// Output is deterministic.
func GenerateWithGroups(n int) ([]byte, Stats) {
	depts := (n + DeptPrincipals - 1) / DeptPrincipals
	if depts < 1 {
		depts = 1
	}
	g := &gen{}
	for d := 0; d < depts; d++ {
		g.dept(d, depts)
	}
	return g.plan(depts)
}

func (g *gen) dept(d, depts int) {
	dn := fmt.Sprintf("dept-%04d", d)
	other := func(delta int) string { return fmt.Sprintf("dept-%04d", ((d+delta)%depts+depts)%depts) }
	id := func(kind string, i int) string { return fmt.Sprintf("d%04d_%s%d", d, kind, i) }
	name := func(kind string, i int) string { return fmt.Sprintf("%s-%s%d", dn, kind, i) }
	nextID := func(kind string, i int) string { return fmt.Sprintf("d%04d_%s%d", (d+1)%depts, kind, i) }
	pARN := func(i int) string { return "arn:aws:iam::" + Account + ":policy/" + name("p", i) }
	mod := d % 10
	// The administrator group the escalations of this department aim at.
	adminDept := fmt.Sprintf("dept-%04d", d-d%20)

	// Groups: g0 the developers, g1 operations.
	for i := 0; i < DeptGroups; i++ {
		g.add("aws_iam_group", id("g", i), obj{"name": name("g", i), "path": "/", "arn": arn("group", name("g", i))}, nil)
		g.stats.Groups++
	}
	// Users. Each is in the dev group; u0 also in the next department's
	// dev group (memberships across departments).
	for i := 0; i < 5; i++ {
		u := id("u", i)
		v := obj{"name": name("u", i), "path": "/", "arn": arn("user", name("u", i))}
		var refs obj
		if i == 4 && d%4 == 1 {
			// A boundary caps what the groups give this user.
			v["permissions_boundary"] = pARN(11)
			refs = obj{"permissions_boundary": ref("aws_iam_policy."+id("p", 11), "arn")}
		}
		g.add("aws_iam_user", u, v, refs)
		g.stats.Users++
		groups, grefs := []string{name("g", 0)}, ref("aws_iam_group."+id("g", 0), "name")
		g.stats.Memberships++
		if i == 0 {
			groups = append(groups, other(1)+"-g0")
			grefs = append(grefs, ref("aws_iam_group."+nextID("g", 0), "name")...)
			g.stats.Memberships++
		}
		g.add("aws_iam_user_group_membership", u+"_groups", obj{"user": name("u", i), "groups": groups},
			obj{"user": ref("aws_iam_user."+u, "name"), "groups": grefs})
	}
	// The ops group lists its members itself: u3 and u4.
	g.add("aws_iam_group_membership", id("g", 1)+"_members",
		obj{"name": name("g", 1) + "-members", "group": name("g", 1), "users": []string{name("u", 3), name("u", 4)}},
		obj{"group": ref("aws_iam_group."+id("g", 1), "name"),
			"users": append(ref("aws_iam_user."+id("u", 3), "name"), ref("aws_iam_user."+id("u", 4), "name")...)})
	g.stats.Memberships += 2

	// Customer managed policies; p11 is the department's boundary.
	for i := 0; i < 12; i++ {
		var stmts []obj
		switch {
		case i == 11:
			stmts = []obj{allow([]string{"s3:*", "dynamodb:*", "sqs:*", "logs:*", "sts:AssumeRole", "iam:Get*", "iam:List*"}, "*")}
		case i == 8:
			// Borne by the dev group: assume the department's roles and
			// the previous department's r1.
			stmts = []obj{allow("sts:AssumeRole", []string{arn("role", dn+"-r*"), arn("role", other(-1)+"-r1")})}
		case i == 9 && mod == 8:
			st := allow("iam:AttachGroupPolicy", arn("group", name("g", 1)))
			st["Condition"] = obj{"Bool": obj{"aws:MultiFactorAuthPresent": "true"}}
			stmts = []obj{st}
		case i == 10 && mod == 2:
			stmts = []obj{allow("iam:PassRole", arn("role", name("r", 4))),
				allow([]string{"lambda:CreateFunction", "lambda:InvokeFunction"}, "*")}
		default:
			stmts = []obj{workload(d, i), workload(d, i+3), workload(d, i+6)}
		}
		g.add("aws_iam_policy", id("p", i), obj{"name": name("p", i), "path": "/", "arn": pARN(i), "policy": doc(stmts...)}, nil)
		g.stats.Policies++
	}

	// Roles: r0 trusts the department's u0 and u1, r1 trusts r0 and the
	// next department's r0 (chains across departments), r2 the account
	// with MFA (identity policies decide), r3 EC2, r4 Lambda; r2 and r3
	// carry the boundary.
	trusts := []obj{
		{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": obj{"AWS": []string{arn("user", name("u", 0)), arn("user", name("u", 1))}}},
		{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": obj{"AWS": []string{arn("role", name("r", 0)), arn("role", other(1)+"-r0")}}},
		{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": obj{"AWS": "arn:aws:iam::" + Account + ":root"},
			"Condition": obj{"Bool": obj{"aws:MultiFactorAuthPresent": "true"}}},
		{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": obj{"Service": "ec2.amazonaws.com"}},
		{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": obj{"Service": "lambda.amazonaws.com"}},
	}
	for i := 0; i < 5; i++ {
		v := obj{"name": name("r", i), "path": "/", "arn": arn("role", name("r", i)), "assume_role_policy": doc(trusts[i])}
		var refs obj
		if i == 2 || i == 3 {
			v["permissions_boundary"] = pARN(11)
			refs = obj{"permissions_boundary": ref("aws_iam_policy."+id("p", 11), "arn")}
		}
		g.add("aws_iam_role", id("r", i), v, refs)
		g.stats.Roles++
	}
	g.stats.Principals += 10

	// Customer managed attachments: one per user (u2 also p10), two per
	// role and per group.
	attach := func(kind, key, holderID, holderName string, pi int) {
		g.add("aws_iam_"+kind+"_policy_attachment", fmt.Sprintf("%s_p%d", holderID, pi),
			obj{key: holderName, "policy_arn": pARN(pi)},
			obj{key: ref("aws_iam_"+kind+"."+holderID, "name"), "policy_arn": ref("aws_iam_policy."+id("p", pi), "arn")})
	}
	for i := 0; i < 5; i++ {
		attach("user", "user", id("u", i), name("u", i), i)
		attach("role", "role", id("r", i), name("r", i), (i+3)%8)
		attach("role", "role", id("r", i), name("r", i), (i+5)%8)
	}
	attach("user", "user", id("u", 2), name("u", 2), 10)
	attach("group", "group", id("g", 0), name("g", 0), 8)
	attach("group", "group", id("g", 0), name("g", 0), 6)
	attach("group", "group", id("g", 1), name("g", 1), 9)
	attach("group", "group", id("g", 1), name("g", 1), 7)

	// AWS managed attachments.
	type grant struct{ kind, holder, policy string }
	managed := []grant{{"role", "r3", "AmazonSSMManagedInstanceCore"}}
	if d%20 == 0 {
		managed = append(managed, grant{"group", "g1", "AdministratorAccess"})
	}
	if d%20 == 11 {
		managed = append(managed, grant{"role", "r1", "AdministratorAccess"})
	}
	if d%20 == 2 {
		managed = append(managed, grant{"role", "r4", "AdministratorAccess"})
	}
	if mod == 6 {
		managed = append(managed, grant{"role", "r2", "PowerUserAccess"})
	}
	if d%4 == 0 {
		managed = append(managed, grant{"group", "g0", "ReadOnlyAccess"})
	}
	for _, m := range managed {
		hid := fmt.Sprintf("d%04d_%s", d, m.holder)
		g.add("aws_iam_"+m.kind+"_policy_attachment", hid+"_"+strings.ToLower(m.policy),
			obj{m.kind: dn + "-" + m.holder, "policy_arn": "arn:aws:iam::aws:policy/" + m.policy},
			obj{m.kind: ref("aws_iam_"+m.kind+"."+hid, "name")})
	}

	// Inline policies: one per user, two per role, two on the dev group,
	// one on the ops group.
	inline := func(kind, key, holderID, holderName string, k int, stmts ...obj) {
		g.add("aws_iam_"+kind+"_policy", fmt.Sprintf("%s_inline%d", holderID, k),
			obj{"name": fmt.Sprintf("%s-inline%d", holderName, k), key: holderName, "policy": doc(stmts...)},
			obj{key: ref("aws_iam_"+kind+"."+holderID, "name")})
		g.stats.Policies++
	}
	for i := 0; i < 5; i++ {
		stmts := []obj{allow("sts:AssumeRole", arn("role", name("r", 0))), workload(d, 20+i)}
		if mod == 9 && i == 1 {
			stmts = []obj{allow("iam:CreateAccessKey", arn("user", adminDept+"-u3")), workload(d, 20+i)}
		}
		inline("user", "user", id("u", i), name("u", i), 0, stmts...)
	}
	for i := 0; i < 5; i++ {
		first := []obj{workload(d, 30+i), workload(d, 34+i)}
		switch {
		case i == 0:
			first = []obj{allow("sts:AssumeRole", arn("role", name("r", 1))), workload(d, 30)}
		case i == 1 && d%15 == 4:
			// Rewrite the trust of any role of the department.
			first = []obj{allow([]string{"iam:UpdateAssumeRolePolicy", "sts:AssumeRole"}, arn("role", dn+"-*"))}
		}
		inline("role", "role", id("r", i), name("r", i), 0, first...)
		inline("role", "role", id("r", i), name("r", i), 1, workload(d, 40+i), workload(d, 45+i))
	}
	var dev []obj
	switch mod {
	case 3:
		dev = []obj{allow("iam:AddUserToGroup", arn("group", adminDept+"-g1"))}
	case 5:
		dev = []obj{allow("iam:*", "arn:aws:iam::"+Account+":*/"+dn+"-*")}
	case 6:
		dev = []obj{allow("iam:AddUserToGroup", arn("group", other(-1)+"-g0"))}
	default:
		dev = []obj{workload(d, 50), workload(d, 51)}
	}
	inline("group", "group", id("g", 0), name("g", 0), 0, dev...)
	inline("group", "group", id("g", 0), name("g", 0), 1, workload(d, 52), workload(d, 54))
	var ops []obj
	switch mod {
	case 7:
		ops = []obj{allow("iam:PutGroupPolicy", arn("group", name("g", 1)))}
	case 1, 4:
		ops = []obj{{"Effect": "Deny", "Action": "iam:*", "Resource": "*",
			"Condition": obj{"BoolIfExists": obj{"aws:MultiFactorAuthPresent": "false"}}}, workload(d, 56)}
	default:
		ops = []obj{workload(d, 56), workload(d, 58)}
	}
	inline("group", "group", id("g", 1), name("g", 1), 0, ops...)
}
