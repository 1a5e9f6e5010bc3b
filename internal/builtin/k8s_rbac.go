package builtin

import "github.com/eksguard/eksguard/internal/rule"

// k8sAccessRules check who may do what in the cluster: aws-auth mappings,
// RBAC roles and bindings, IRSA service accounts.
var k8sAccessRules = []*rule.Rule{}
