# METADATA
# custom:
#   id: GROW-001
#   input: graph
package grow

import rego.v1

# Each element is small and numbers.range is within its bound, but the
# whole set is several gigabytes: only the heap watchdog can stop it.
deny contains "grown" if {
	s := {x |
		some i in numbers.range(1, 1000000)
		x := sprintf("%04096d", [i])
	}
	count(s) > 0
}
