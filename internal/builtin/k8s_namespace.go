package builtin

import "github.com/eksguard/eksguard/internal/rule"

// k8sNamespaceRules check what each namespace that runs workloads must
// hold: default-deny network policies, DNS egress, quotas, admission labels.
var k8sNamespaceRules = []*rule.Rule{}
