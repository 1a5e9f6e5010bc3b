// Package plangen writes large, realistic Terraform plan JSON documents for
// benchmarks and fuzz seeds: an EKS platform module instantiated many times
// with count, with planned values, resource changes (including values
// unknown until apply) and a configuration section with references.
package plangen

import (
	"encoding/json"
	"fmt"
)

// PerUnit is the number of resources in one module instance.
const PerUnit = 10

type obj = map[string]any

func refs(r ...string) obj { return obj{"references": r} }

// Generate returns a plan with about n resources (rounded up to a multiple
// of PerUnit), indented. Output is deterministic.
func Generate(n int) []byte {
	out, err := json.MarshalIndent(plan(n), "", "  ")
	if err != nil {
		panic(err) // only plain maps and slices: cannot fail
	}
	return out
}

// GenerateCompact is Generate on one line, as terraform show -json writes
// plans: about 860 bytes a resource against 1,600 indented.
func GenerateCompact(n int) []byte {
	out, err := json.Marshal(plan(n))
	if err != nil {
		panic(err) // only plain maps and slices: cannot fail
	}
	return out
}

func plan(n int) obj {
	units := (n + PerUnit - 1) / PerUnit
	var changes []any
	var planned []any
	for u := 0; u < units; u++ {
		mod := fmt.Sprintf("module.platform[%d]", u)
		add := func(typ, name string, idx any, after, unknown obj) {
			addr := mod + "." + typ + "." + name
			if idx != nil {
				addr += fmt.Sprintf("[%v]", idx)
			}
			rc := obj{"address": addr, "module_address": mod, "mode": "managed", "type": typ, "name": name,
				"provider_name": "registry.terraform.io/hashicorp/aws",
				"change": obj{"actions": []string{"create"}, "before": nil, "after": after, "after_unknown": unknown,
					"before_sensitive": false, "after_sensitive": obj{}}}
			if idx != nil {
				rc["index"] = idx
			}
			changes = append(changes, rc)
			pv := obj{"address": addr, "mode": "managed", "type": typ, "name": name, "values": after, "sensitive_values": obj{}}
			if idx != nil {
				pv["index"] = idx
			}
			planned = append(planned, obj{"address": mod, "resources": []any{pv}})
		}
		name := fmt.Sprintf("team-%04d", u)
		add("aws_kms_key", "this", nil, obj{"description": name, "enable_key_rotation": u%2 == 0}, obj{"arn": true, "id": true})
		add("aws_iam_role", "node", nil, obj{"name": name + "-node", "assume_role_policy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`}, obj{"arn": true, "id": true})
		add("aws_iam_role_policy_attachment", "cni", nil, obj{"policy_arn": "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"}, obj{"role": true, "id": true})
		for i := 0; i < 2; i++ {
			add("aws_subnet", "private", i, obj{"cidr_block": fmt.Sprintf("10.%d.%d.0/24", u%250, i), "map_public_ip_on_launch": u%5 == 0,
				"tags": obj{"Name": fmt.Sprintf("%s-private-%d", name, i)}}, obj{"id": true, "arn": true, "vpc_id": true})
		}
		add("aws_security_group", "cluster", nil, obj{"name": name + "-cluster", "ingress": []any{
			obj{"cidr_blocks": []string{"10.0.0.0/8"}, "from_port": 443, "to_port": 443, "protocol": "tcp", "ipv6_cidr_blocks": []string{}}}}, obj{"id": true, "arn": true})
		add("aws_security_group_rule", "ssh", nil, obj{"type": "ingress", "from_port": 22, "to_port": 22, "protocol": "tcp",
			"cidr_blocks": []string{map[bool]string{true: "0.0.0.0/0", false: "10.0.0.0/8"}[u%7 == 0]}}, obj{"security_group_id": true, "id": true})
		add("aws_launch_template", "nodes", nil, obj{"name": name + "-nodes",
			"metadata_options":      []any{obj{"http_endpoint": "enabled", "http_tokens": map[bool]string{true: "required", false: "optional"}[u%3 != 0], "http_put_response_hop_limit": 1 + u%2}},
			"block_device_mappings": []any{obj{"device_name": "/dev/xvda", "ebs": []any{obj{"encrypted": u%4 != 0, "volume_size": 100}}}}},
			obj{"id": true, "arn": true, "latest_version": true})
		add("aws_eks_cluster", "this", nil, obj{"name": name, "version": []string{"1.29", "1.32", "1.34"}[u%3],
			"enabled_cluster_log_types": []string{"audit", "authenticator"},
			"encryption_config":         []any{obj{"provider": []any{obj{}}, "resources": []string{"secrets"}}},
			"vpc_config":                []any{obj{"endpoint_private_access": true, "endpoint_public_access": u%2 == 0, "public_access_cidrs": []string{"0.0.0.0/0"}}}},
			obj{"arn": true, "id": true, "endpoint": true, "encryption_config": []any{obj{"provider": []any{obj{"key_arn": true}}}},
				"vpc_config": []any{obj{"subnet_ids": true, "security_group_ids": true}}})
		add("aws_eks_node_group", "default", nil, obj{"node_group_name": name, "ami_type": "AL2023_x86_64_STANDARD",
			"scaling_config": []any{obj{"desired_size": 3, "min_size": 3, "max_size": 6}}, "launch_template": []any{obj{"version": "1"}}},
			obj{"arn": true, "id": true, "node_role_arn": true, "subnet_ids": true, "launch_template": []any{obj{"id": true}}})
	}
	res := func(typ, name string, ex obj) obj {
		return obj{"address": typ + "." + name, "mode": "managed", "type": typ, "name": name, "expressions": ex}
	}
	module := obj{"resources": []any{
		res("aws_kms_key", "this", obj{"description": refs("var.name")}),
		res("aws_iam_role", "node", obj{"name": refs("var.name")}),
		res("aws_iam_role_policy_attachment", "cni", obj{"role": refs("aws_iam_role.node.name", "aws_iam_role.node")}),
		res("aws_subnet", "private", obj{"cidr_block": refs("var.cidrs", "count.index")}),
		res("aws_security_group", "cluster", obj{"name": refs("var.name")}),
		res("aws_security_group_rule", "ssh", obj{"security_group_id": refs("aws_security_group.cluster.id", "aws_security_group.cluster")}),
		res("aws_launch_template", "nodes", obj{"name": refs("var.name")}),
		res("aws_eks_cluster", "this", obj{
			"encryption_config": []any{obj{"provider": []any{obj{"key_arn": refs("aws_kms_key.this.arn", "aws_kms_key.this")}}}},
			"vpc_config":        []any{obj{"subnet_ids": refs("aws_subnet.private"), "security_group_ids": refs("aws_security_group.cluster.id", "aws_security_group.cluster")}}}),
		res("aws_eks_node_group", "default", obj{
			"cluster_name":    refs("aws_eks_cluster.this.name", "aws_eks_cluster.this"),
			"node_role_arn":   refs("aws_iam_role.node.arn", "aws_iam_role.node"),
			"subnet_ids":      refs("aws_subnet.private"),
			"launch_template": []any{obj{"id": refs("aws_launch_template.nodes.id", "aws_launch_template.nodes")}}}),
	}, "outputs": obj{"cluster_name": obj{"expression": refs("aws_eks_cluster.this.name", "aws_eks_cluster.this")}}}
	return obj{
		"format_version":    "1.2",
		"terraform_version": "1.9.5",
		"planned_values":    obj{"root_module": obj{"child_modules": planned}},
		"resource_changes":  changes,
		"configuration": obj{"root_module": obj{"module_calls": obj{"platform": obj{
			"source": "./modules/platform", "count_expression": obj{"constant_value": units},
			"expressions": obj{"name": refs("local.names"), "cidrs": obj{"constant_value": []string{"10.0.0.0/24"}}},
			"module":      module}}}},
	}
}
