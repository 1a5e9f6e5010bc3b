package builtin

import "github.com/eksguard/eksguard/internal/rule"

var networkRules = []*rule.Rule{}
