# METADATA
# custom:
#   id: RX-001
#   input: graph
package rx

import rego.v1

deny contains "x" if {
	s := concat("", [sprintf("%0100000d", [1]) | some _ in numbers.range(1, 10)])
	r := regex.replace(s, "", "yyyyyyyyyyyyyyyyyyyyyyyyyyyyy")
	count(r) > 0
}
