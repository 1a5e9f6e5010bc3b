package ft

import rego.v1

deny contains "x" if input.x == 1
