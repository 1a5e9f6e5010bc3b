package future

import future.keywords.if
import future.keywords.in

deny[msg] if {
	input.kind == "Pod"
	some c in input.spec.containers
	msg := sprintf("future %s", [c.name])
}
