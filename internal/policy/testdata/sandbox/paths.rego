package paths

import rego.v1

deny contains p if {
	some p in graph.reachable_paths({"a": ["b"], "b": []}, ["a"])
}
