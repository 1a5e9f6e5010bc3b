package builtin

import "github.com/eksguard/eksguard/internal/rule"

var nodeRules = []*rule.Rule{}
