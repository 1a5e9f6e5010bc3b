package iam

import (
	"strings"
	"sync"

	"github.com/eksguard/eksguard/internal/iam/managed"
	"github.com/eksguard/eksguard/internal/jsonpos"
)

// managedFile is the file of the ranges of an AWS managed policy's
// statements: the prefix, then the ARN's path and name. Its text is not in
// the scanned code; reports locate the attachment instead.
const managedFile = "aws-managed:"

// awsManagedPolicies caches the parsed documents by ARN: each is parsed on
// first use, and every later lookup of the ARN gets the same *Policy.
var awsManagedPolicies sync.Map // ARN → *Policy

// AWSManaged returns the document of the AWS managed policy an ARN names
// (arn:<partition>:iam::aws:policy/[path/]Name), or nil when the ARN is
// not one or eksguard does not know the policy. The path must be the
// policy's (AWS refuses service-role/AmazonEC2RoleforSSM without it). In
// the aws-cn and aws-us-gov partitions the document is the aws one with
// its ARNs moved to that partition, as AWS publishes them there.
func AWSManaged(arn string) *Policy {
	partition, key, ok := AWSManagedKey(arn)
	if !ok {
		return nil
	}
	if p, ok := awsManagedPolicies.Load(arn); ok {
		return p.(*Policy)
	}
	doc, _, ok := managed.Document(key)
	if !ok {
		return nil
	}
	if partition != "aws" {
		doc = strings.ReplaceAll(doc, `"arn:aws:`, `"arn:`+partition+`:`)
	}
	v, err := jsonpos.Parse([]byte(doc), managedFile+key)
	if err != nil {
		// The documents are generated and embedded, so this is a build defect.
		panic("embedded managed policy " + key + ": " + err.Error())
	}
	p, _ := awsManagedPolicies.LoadOrStore(arn, FromValue(v, arn))
	return p.(*Policy)
}

// AWSManagedKey splits an AWS managed policy ARN into its partition and
// its path and name ("service-role/AmazonEC2RoleforSSM").
func AWSManagedKey(arn string) (partition, key string, ok bool) {
	parts := splitARN(arn)
	if parts == nil || parts[0] != "arn" || parts[1] == "" || parts[2] != "iam" || parts[4] != "aws" {
		return "", "", false
	}
	key, ok = strings.CutPrefix(parts[5], "policy/")
	if !ok || key == "" {
		return "", "", false
	}
	return parts[1], key, true
}

// AWSManagedName returns the name of an AWS managed policy ARN.
func AWSManagedName(arn string) (string, bool) {
	_, key, ok := AWSManagedKey(arn)
	if !ok {
		return "", false
	}
	return key[strings.LastIndexByte(key, '/')+1:], true
}
