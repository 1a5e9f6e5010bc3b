# METADATA
# custom:
#   id: BIG-001
#   input: graph
package big

import rego.v1

deny contains "big" if {
	s := numbers.range(1, 1000000000000)
	count(s) > 0
}
