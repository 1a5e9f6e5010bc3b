package builtin

import "github.com/eksguard/eksguard/internal/rule"

// k8sPodRules check the security context of each pod and container
// (Pod Security Standards).
var k8sPodRules = []*rule.Rule{}
