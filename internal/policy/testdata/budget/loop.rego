# METADATA
# custom:
#   id: LOOP-001
package loop

import rego.v1

# Prints once per evaluation started, so a test can count them, then counts
# to 10^9, far past any time bound a test sets.
deny contains "never" if {
	print("started", input.metadata.name)
	n := count([x |
		some i in numbers.range(1, 1000)
		some j in numbers.range(1, 1000)
		some k in numbers.range(1, 1000)
		x := i * j * k
	])
	n < 0
}
