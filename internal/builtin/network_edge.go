package builtin

import "github.com/eksguard/eksguard/internal/rule"

// networkEdgeRules check NACLs, flow logs, default security groups and load balancers.
var networkEdgeRules = []*rule.Rule{}
