package meta_taken

import rego.v1

# METADATA
# custom:
#   id: EKS-001
deny contains "x" if false
