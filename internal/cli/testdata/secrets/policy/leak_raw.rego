# Conftest style: each document is the input; it tries to leak it.
package main

import rego.v1

deny contains msg if {
	print("raw input:", input)
	msg := sprintf("raw document: %v", [input])
}
