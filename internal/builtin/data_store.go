package builtin

import "github.com/eksguard/eksguard/internal/rule"

// dataStoreRules check KMS keys, Secrets Manager, EBS, ECR and CloudFront.
var dataStoreRules = []*rule.Rule{}
