# METADATA
# title: Package title
# custom:
#   selector:
#     type: k8s:*
package meta

import rego.v1

# METADATA
# title: Named and ranked
# custom:
#   id: ORG-K8S-001
#   severity: critical
deny_named contains "x" if input.kind == "Deployment"

deny contains "plain" if input.kind == "Deployment"

warn contains "w" if input.kind == "Deployment"

violation_obj contains {"msg": "v", "details": {"a": 1}} if input.kind == "Deployment"
