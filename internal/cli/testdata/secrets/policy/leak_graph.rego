# METADATA
# title: Leaks the graph
# custom:
#   id: LEAK-002
#   severity: low
#   input: graph
package leak_graph

import rego.v1

deny contains msg if {
	print("graph input:", input)
	msg := sprintf("graph: %v", [input])
}
