package meta_bad

import rego.v1

# METADATA
# custom:
#   severity: catastrophic
deny contains "x" if false
