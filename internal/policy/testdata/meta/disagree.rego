package meta_disagree

import rego.v1

# METADATA
# custom:
#   id: A-1
deny contains "a" if false

# METADATA
# custom:
#   id: A-2
deny contains "b" if false
