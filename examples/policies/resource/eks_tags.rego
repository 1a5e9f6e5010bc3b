# METADATA
# title: EKS clusters and node groups carry owner and cost-center tags
# description: >-
#   Cost allocation and incident routing both start from the owner of a
#   cluster or node group. Tags set through the provider's default_tags
#   count (tags_all).
# related_resources:
#   - ref: https://docs.aws.amazon.com/eks/latest/userguide/eks-using-tags.html
#     description: Tagging your Amazon EKS resources
# custom:
#   id: ORG-EKS-001
#   severity: medium
#   service: EKS
#   remediation: Add owner and cost-center to tags, or to the AWS provider's default_tags.
#   selector:
#     type: [aws_eks_cluster, aws_eks_node_group]
package eks_tags

import rego.v1

required := {"owner", "cost-center"}

# Unknown values (known only after apply) are {"__unknown__": true}; they
# are neither compliant nor not, so they are left alone.
unknown(v) if v.__unknown__ == true

tags := input.tags_all if {
	is_object(input.tags_all)
	not unknown(input.tags_all)
} else := input.tags if {
	is_object(input.tags)
	not unknown(input.tags)
} else := {}

deny contains {"msg": msg, "path": "tags"} if {
	not unknown(object.get(input, "tags_all", {}))
	missing := {k | some k in required; not tags[k]}
	count(missing) > 0
	msg := sprintf("missing tags: %s", [concat(", ", sort(missing))])
}
