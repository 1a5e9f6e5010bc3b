# Written as for conftest (package main, Rego v1, conftest's HCL shape:
# each resource's blocks in an array under its type and name).
package main

import rego.v1

deny contains msg if {
	some name
	some listener in input.resource.aws_lb_listener[name]
	listener.protocol == "HTTP"
	msg := sprintf("listener %s serves plain HTTP", [name])
}

deny contains msg if {
	some name
	some r in input.resource.aws_security_group_rule[name]
	r.type == "ingress"
	"0.0.0.0/0" in r.cidr_blocks
	msg := sprintf("rule %s opens ingress to the internet", [name])
}
