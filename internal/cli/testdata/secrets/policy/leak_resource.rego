# METADATA
# title: Leaks its input
# custom:
#   id: LEAK-001
#   severity: low
#   selector:
#     type: ["*"]
package leak_resource

import rego.v1

deny contains msg if {
	print("resource input:", input)
	msg := sprintf("resource: %v", [input])
}
