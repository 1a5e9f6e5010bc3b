package frontend

import (
	"strings"

	"github.com/eksguard/eksguard/internal/graph"
)

// valueLink connects resources that name each other by a literal value
// rather than by reference: a node group whose launch template is given by
// name, a bucket policy that repeats the bucket name. Front-ends record
// references where the source has them; this catches the rest, whatever
// format both sides came from.
type valueLink struct {
	fromType, fromPath string
	toType, toPath     string
}

var valueLinks = []valueLink{
	{"aws_eks_node_group", "launch_template.name", "aws_launch_template", "name"},
	{"aws_eks_node_group", "launch_template.id", "aws_launch_template", "id"},
	{"aws_eks_node_group", "node_role_arn", "aws_iam_role", "arn"},
	{"aws_eks_node_group", "subnet_ids", "aws_subnet", "id"},
	{"aws_eks_cluster", "vpc_config.subnet_ids", "aws_subnet", "id"},
	{"aws_eks_cluster", "vpc_config.security_group_ids", "aws_security_group", "id"},
	{"aws_eks_cluster", "encryption_config.provider.key_arn", "aws_kms_key", "arn"},
	{"aws_eks_cluster", "encryption_config.provider.key_arn", "aws_kms_alias", "arn"},
	{"aws_eks_addon", "cluster_name", "aws_eks_cluster", "name"},
	{"aws_eks_access_entry", "cluster_name", "aws_eks_cluster", "name"},
	{"aws_eks_access_policy_association", "cluster_name", "aws_eks_cluster", "name"},
	{"aws_eks_node_group", "cluster_name", "aws_eks_cluster", "name"},
	{"aws_eks_pod_identity_association", "cluster_name", "aws_eks_cluster", "name"},
	{"aws_iam_role_policy_attachment", "role", "aws_iam_role", "name"},
	{"aws_security_group_rule", "security_group_id", "aws_security_group", "id"},
	{"aws_vpc_security_group_ingress_rule", "security_group_id", "aws_security_group", "id"},
	{"aws_autoscaling_group", "launch_configuration", "aws_launch_configuration", "name"},
	{"aws_autoscaling_group", "launch_template.id", "aws_launch_template", "id"},
	{"aws_autoscaling_group", "launch_template.name", "aws_launch_template", "name"},
	{"aws_autoscaling_group", "vpc_zone_identifier", "aws_subnet", "id"},
	{"aws_instance", "subnet_id", "aws_subnet", "id"},
}

// Link adds value-based edges. Each table row builds one index of the
// target type, so the cost is linear in the number of resources.
func Link(g *graph.Graph) {
	for _, vl := range valueLinks {
		froms := g.OfType(vl.fromType)
		if len(froms) == 0 {
			continue
		}
		index := map[string][]*graph.Resource{}
		for _, t := range g.OfType(vl.toType) {
			if v := t.Get(vl.toPath); v != nil && v.Kind == graph.String && v.Str != "" {
				index[v.Str] = append(index[v.Str], t)
			}
		}
		if len(index) == 0 {
			continue
		}
		for _, f := range froms {
			for _, leaf := range leaves(f.Attrs, vl.fromPath) {
				for _, t := range index[leaf] {
					g.Link(f, t, vl.fromPath)
				}
			}
		}
	}
}

// leaves returns the known strings at a dotted path, descending into every
// element of lists met on the way (a path may cross several blocks).
func leaves(v *graph.Value, path string) []string {
	var out []string
	var walk func(v *graph.Value, parts []string)
	walk = func(v *graph.Value, parts []string) {
		if v == nil {
			return
		}
		if v.Kind == graph.List {
			for _, e := range v.List {
				walk(e, parts)
			}
			return
		}
		if len(parts) == 0 {
			if v.Kind == graph.String && v.Str != "" {
				out = append(out, v.Str)
			}
			return
		}
		if v.Kind == graph.Map {
			walk(v.Map[parts[0]], parts[1:])
		}
	}
	walk(v, strings.Split(path, "."))
	return out
}
