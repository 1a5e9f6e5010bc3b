# Written as for conftest in Rego v0, the syntax most existing conftest
# policies still use.
package main

deny[msg] {
	input.kind == "Deployment"
	not input.spec.template.spec.securityContext.runAsNonRoot
	msg := sprintf("%s must set runAsNonRoot", [input.metadata.name])
}

warn[msg] {
	input.kind == "Service"
	input.spec.type == "LoadBalancer"
	msg := sprintf("%s is exposed through a load balancer", [input.metadata.name])
}
