package env_leak

import rego.v1

deny contains msg if {
	env := opa.runtime().env
	msg := env.AWS_SECRET_ACCESS_KEY
}
