package main

import rego.v1

deployment(container) := {
	"apiVersion": "apps/v1",
	"kind": "Deployment",
	"metadata": {"name": "web", "labels": {"team": "payments"}},
	"spec": {"template": {"spec": {"containers": [container]}}},
}

test_container_without_readiness_probe_is_denied if {
	some r in deny with input as deployment({"name": "app", "image": "app:1.2"})
	r.msg == `Deployment web: container "app" has no readinessProbe`
	r.path == ["spec", "template", "spec", "containers", 0]
}

test_container_with_readiness_probe_passes if {
	count(deny) == 0 with input as deployment({"name": "app", "readinessProbe": {"httpGet": {"path": "/healthz", "port": 8080}}})
}

test_other_kinds_are_ignored if {
	count(deny) == 0 with input as {"kind": "ConfigMap", "metadata": {"name": "x"}}
}

test_missing_team_label_warns if {
	warn["Deployment web has no team label"] with input as {"kind": "Deployment", "metadata": {"name": "web"}, "spec": {"template": {"spec": {"containers": []}}}}
}
