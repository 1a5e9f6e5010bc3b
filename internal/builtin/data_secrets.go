package builtin

import "github.com/eksguard/eksguard/internal/rule"

// dataSecretRules check plaintext secrets written in code.
var dataSecretRules = []*rule.Rule{}
