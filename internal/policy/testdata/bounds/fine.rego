# METADATA
# custom:
#   id: FINE-001
#   selector:
#     type: aws_eks_cluster
package fine

import rego.v1

deny contains "cluster seen" if input.name
