# METADATA
# title: Node groups do not run with the cluster's IAM role
# description: >-
#   The cluster role lets the EKS control plane manage ENIs, load balancers
#   and security groups; nodes given the same role hand every pod that can
#   reach the instance metadata those powers. Each node group needs a role
#   of its own, with the worker-node policies only.
# related_resources:
#   - ref: https://docs.aws.amazon.com/eks/latest/userguide/create-node-role.html
#     description: Amazon EKS node IAM role
# custom:
#   id: ORG-EKS-002
#   severity: high
#   service: IAM
#   remediation: Create a node role with AmazonEKSWorkerNodePolicy, AmazonEC2ContainerRegistryReadOnly and the CNI policy, and set node_role_arn to it.
#   input: graph
package eks_roles

import rego.v1

# The graph's edges say which resource an attribute refers to, whatever
# the format wrote (a Terraform reference, a CloudFormation GetAtt).
targets(id, attr) := {e.to_id | some e in input.edges; e.from_id == id; e.attribute == attr}

cluster_roles := {role: cl |
	some cl in input.resources
	cl.type == "aws_eks_cluster"
	some role in targets(cl.id, "role_arn")
}

deny contains {"msg": msg, "resource": ng.id, "path": "node_role_arn"} if {
	some ng in input.resources
	ng.type == "aws_eks_node_group"
	some role in targets(ng.id, "node_role_arn")
	cl := cluster_roles[role]
	msg := sprintf("node group %s runs with %s, the IAM role of cluster %s", [ng.address, input.resources[role].address, cl.address])
}
