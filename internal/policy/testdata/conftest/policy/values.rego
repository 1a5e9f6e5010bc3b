# Written as for conftest over a Helm values file, a kind of YAML eksguard
# does not model: raw policies still read it.
package main

import rego.v1

deny contains {"msg": "values pin the image to latest", "path": "image.tag"} if input.image.tag == "latest"
