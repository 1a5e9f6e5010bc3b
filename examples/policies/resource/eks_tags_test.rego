package eks_tags

import rego.v1

test_untagged_cluster_is_denied if {
	deny == {{"msg": "missing tags: cost-center, owner", "path": "tags"}} with input as {"name": "prod"}
}

test_one_tag_missing if {
	deny == {{"msg": "missing tags: cost-center", "path": "tags"}} with input as {"tags": {"owner": "platform"}}
}

test_default_tags_count if {
	count(deny) == 0 with input as {"tags": {}, "tags_all": {"owner": "platform", "cost-center": "cc-42"}}
}

test_unknown_tags_are_not_judged if {
	count(deny) == 0 with input as {"tags_all": {"__unknown__": true}}
}
