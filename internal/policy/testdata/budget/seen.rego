# METADATA
# custom:
#   id: SEEN-001
package seen

import rego.v1

deny contains sprintf("%s seen", [input.metadata.name]) if input.kind == "ConfigMap"
