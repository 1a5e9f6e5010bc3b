package builtin

import "github.com/eksguard/eksguard/internal/rule"

// k8sWorkloadRules check images, resources, service-account tokens and
// environment of each workload.
var k8sWorkloadRules = []*rule.Rule{}
