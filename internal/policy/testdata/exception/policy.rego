package main

import rego.v1

deny_latest_tag contains msg if {
	some c in input.spec.containers
	endswith(c.image, ":latest")
	msg := sprintf("%s uses :latest", [c.name])
}

exception contains rules if {
	input.metadata.name == "debug"
	rules := ["latest_tag"]
}
