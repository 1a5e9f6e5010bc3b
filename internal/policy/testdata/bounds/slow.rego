# METADATA
# custom:
#   id: SLOW-001
#   input: graph
package slow

import rego.v1

deny contains "never" if {
	n := count([x |
		some i in numbers.range(1, 1000)
		some j in numbers.range(1, 1000)
		some k in numbers.range(1, 1000)
		x := i * j * k
	])
	n < 0
}
