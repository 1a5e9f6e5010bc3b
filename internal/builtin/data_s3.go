package builtin

import "github.com/eksguard/eksguard/internal/rule"

// dataS3Rules check S3 buckets and their split configuration resources (public access, ACLs, policies, encryption).
var dataS3Rules = []*rule.Rule{}
