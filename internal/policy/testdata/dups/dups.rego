# METADATA
# custom:
#   id: DUP-001
#   selector:
#     type: k8s:Deployment
package dups

import rego.v1

deny contains "first message" if input.kind == "Deployment"

deny contains "second message" if input.kind == "Deployment"
