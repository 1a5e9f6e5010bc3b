# METADATA
# custom:
#   id: GOOD-001
#   selector:
#     type: aws_eks_cluster
package good

import rego.v1

# Pure CIDR arithmetic stays available: it reads nothing outside.
deny contains "public CIDR" if {
	some c in input.vpc_config[0].public_access_cidrs
	net.cidr_contains(c, "8.8.8.8")
}
