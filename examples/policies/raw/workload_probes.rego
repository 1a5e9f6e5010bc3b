# Conftest style: package main, no metadata, so each parsed input document
# is the input. It runs unchanged under `conftest test`.
package main

import rego.v1

workload_kinds := {"Deployment", "StatefulSet", "DaemonSet"}

# A container without a readiness probe gets traffic before it can serve
# it, and a rollout cannot tell a broken version from a slow one.
deny contains {"msg": msg, "path": ["spec", "template", "spec", "containers", i]} if {
	workload_kinds[input.kind]
	some i, c in input.spec.template.spec.containers
	not c.readinessProbe
	msg := sprintf("%s %s: container %q has no readinessProbe", [input.kind, input.metadata.name, c.name])
}

# Without an owner label nobody is paged when the workload misbehaves.
warn contains msg if {
	workload_kinds[input.kind]
	not input.metadata.labels.team
	msg := sprintf("%s %s has no team label", [input.kind, input.metadata.name])
}
