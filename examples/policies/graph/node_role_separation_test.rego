package eks_roles

import rego.v1

graph(node_role) := {
	"schema_version": "1.0",
	"resources": [
		{"id": 0, "type": "aws_eks_cluster", "address": "aws_eks_cluster.main", "attributes": {}},
		{"id": 1, "type": "aws_iam_role", "address": "aws_iam_role.cluster", "attributes": {}},
		{"id": 2, "type": "aws_iam_role", "address": "aws_iam_role.nodes", "attributes": {}},
		{"id": 3, "type": "aws_eks_node_group", "address": "aws_eks_node_group.system", "attributes": {}},
	],
	"edges": [
		{"from_id": 0, "to_id": 1, "attribute": "role_arn"},
		{"from_id": 3, "to_id": node_role, "attribute": "node_role_arn"},
	],
}

test_shared_role_is_denied if {
	deny == {{
		"msg": "node group aws_eks_node_group.system runs with aws_iam_role.cluster, the IAM role of cluster aws_eks_cluster.main",
		"resource": 3,
		"path": "node_role_arn",
	}} with input as graph(1)
}

test_own_role_passes if {
	count(deny) == 0 with input as graph(2)
}
