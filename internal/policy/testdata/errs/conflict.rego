# METADATA
# custom:
#   id: ERR-001
#   selector:
#     type: k8s:*
package errs

import rego.v1

# Two values for one complete rule: an evaluation error on every input.
verdict := "a" if input.kind

verdict := "b" if input.kind

deny contains verdict
