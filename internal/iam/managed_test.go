package iam

import (
	"strings"
	"sync"
	"testing"

	"github.com/eksguard/eksguard/internal/iam/managed"
	"github.com/eksguard/eksguard/internal/jsonpos"
	"github.com/eksguard/eksguard/internal/tri"
)

func allowed(p *Policy, req Request) tri.Tri {
	return Evaluate(PolicySet{Identity: []*Policy{p}}, req).Allowed
}

// TestAWSManagedPaths: an ARN names a policy by its path and name, as AWS
// resolves it.
func TestAWSManagedPaths(t *testing.T) {
	for _, arn := range []string{
		"arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM",
		"arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
		"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
		"arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
		"arn:aws:iam::aws:policy/aws-service-role/AmazonEKSServiceRolePolicy",
	} {
		p := AWSManaged(arn)
		if p == nil {
			t.Errorf("%s: not found", arn)
			continue
		}
		if p.Name != arn || p.Unknown || len(p.Errors) > 0 || len(p.Statements) == 0 {
			t.Errorf("%s: name %q, unknown %v, errors %v, %d statements", arn, p.Name, p.Unknown, p.Errors, len(p.Statements))
		}
	}
	// The same name without its path, or under another path, is no policy.
	for _, arn := range []string{
		"arn:aws:iam::aws:policy/AmazonEC2RoleforSSM",
		"arn:aws:iam::aws:policy/job-function/AmazonEC2RoleforSSM",
		"arn:aws:iam::aws:policy/service-role/AdministratorAccess",
	} {
		if p := AWSManaged(arn); p != nil {
			t.Errorf("%s: found %s, want nil", arn, p.Name)
		}
	}
	basic := AWSManaged("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
	if got := allowed(basic, Request{Action: "logs:PutLogEvents", Resource: "arn:aws:logs:us-east-1:1:log-group:g:log-stream:s"}); got != tri.True {
		t.Errorf("AWSLambdaBasicExecutionRole logs:PutLogEvents: %v", got)
	}
	if got := allowed(basic, Request{Action: "iam:PassRole", Resource: "*"}); got != tri.False {
		t.Errorf("AWSLambdaBasicExecutionRole iam:PassRole: %v", got)
	}
}

// TestAWSManagedEKS: the policies terraform-aws-eks attaches to cluster,
// Auto Mode node and Fargate roles are known, and grant what AWS wrote,
// not everything.
func TestAWSManagedEKS(t *testing.T) {
	names := []string{
		"AmazonEKSClusterPolicy", "AmazonEKSComputePolicy", "AmazonEKSBlockStoragePolicy",
		"AmazonEKSLoadBalancingPolicy", "AmazonEKSNetworkingPolicy", "AmazonEKSWorkerNodeMinimalPolicy",
		"AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryPullOnly",
		"AmazonEKSFargatePodExecutionRolePolicy", "AmazonEKSVPCResourceController",
	}
	for _, n := range names {
		p := AWSManaged("arn:aws:iam::aws:policy/" + n)
		if p == nil {
			t.Errorf("%s: not found", n)
			continue
		}
		if len(p.Errors) > 0 {
			t.Errorf("%s: %v", n, p.Errors)
		}
		for _, action := range []string{"iam:CreateUser", "iam:AttachRolePolicy", "sts:AssumeRole", "s3:GetObject"} {
			if got := allowed(p, Request{Action: action, AnyResource: true}); got != tri.False {
				t.Errorf("%s allows %s: %v", n, action, got)
			}
		}
	}
	// Auto Mode's compute policy passes roles, but only to EC2.
	compute := AWSManaged("arn:aws:iam::aws:policy/AmazonEKSComputePolicy")
	pass := func(service string) tri.Tri {
		return allowed(compute, Request{Action: "iam:PassRole", Resource: "arn:aws:iam::111122223333:role/node",
			Context: map[string][]string{"iam:PassedToService": {service}}})
	}
	if got := pass("ec2.amazonaws.com"); got == tri.False {
		t.Errorf("AmazonEKSComputePolicy: PassRole to EC2 %v", got)
	}
	if got := pass("lambda.amazonaws.com"); got != tri.False {
		t.Errorf("AmazonEKSComputePolicy: PassRole to Lambda %v", got)
	}
}

// TestAWSManagedPower: the documents IAM-021 and the administrator sink
// lean on.
func TestAWSManagedPower(t *testing.T) {
	admin := AWSManaged("arn:aws:iam::aws:policy/AdministratorAccess")
	power := AWSManaged("arn:aws:iam::aws:policy/PowerUserAccess")
	iamFull := AWSManaged("arn:aws:iam::aws:policy/IAMFullAccess")
	readOnly := AWSManaged("arn:aws:iam::aws:policy/ReadOnlyAccess")
	if admin == nil || power == nil || iamFull == nil || readOnly == nil {
		t.Fatal("AdministratorAccess, PowerUserAccess, IAMFullAccess or ReadOnlyAccess missing")
	}
	tests := []struct {
		p      *Policy
		action string
		want   tri.Tri
	}{
		{admin, "iam:CreateUser", tri.True},
		{admin, "ec2:RunInstances", tri.True},
		{power, "ec2:RunInstances", tri.True},
		{power, "iam:CreateUser", tri.False},
		{power, "iam:CreateServiceLinkedRole", tri.True},
		{iamFull, "iam:AttachRolePolicy", tri.True},
		{iamFull, "ec2:RunInstances", tri.False},
		{readOnly, "ec2:DescribeInstances", tri.True},
		{readOnly, "ec2:RunInstances", tri.False},
		{readOnly, "iam:PutRolePolicy", tri.False},
	}
	for _, tt := range tests {
		if got := allowed(tt.p, Request{Action: tt.action, Resource: "*"}); got != tt.want {
			t.Errorf("%s %s: %v, want %v", tt.p.Name, tt.action, got, tt.want)
		}
	}
}

func TestAWSManagedUnknown(t *testing.T) {
	for _, arn := range []string{
		"arn:aws:iam::aws:policy/NoSuchPolicy",
		"arn:aws:iam::aws:policy/",
		"arn:aws:iam::aws:policy/administratoraccess", // ARNs are case-sensitive
		"arn:aws:iam::111122223333:policy/AdministratorAccess",
		"arn:aws:iam::aws:role/AdministratorAccess",
		"arn:aws:s3:::aws/policy/AdministratorAccess",
		"AdministratorAccess",
		"",
	} {
		if p := AWSManaged(arn); p != nil {
			t.Errorf("%q: found %s, want nil", arn, p.Name)
		}
	}
}

// TestAWSManagedPartitions: other partitions have the same policies, with
// their ARNs in that partition.
func TestAWSManagedPartitions(t *testing.T) {
	aws := AWSManaged("arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy")
	for _, part := range []string{"aws-cn", "aws-us-gov"} {
		arn := "arn:" + part + ":iam::aws:policy/AmazonEKS_CNI_Policy"
		p := AWSManaged(arn)
		if p == nil {
			t.Fatalf("%s: not found", arn)
		}
		if p.Name != arn || p == aws || len(p.Statements) != len(aws.Statements) {
			t.Errorf("%s: name %q, %d statements (aws: %d)", arn, p.Name, len(p.Statements), len(aws.Statements))
		}
		eni := "arn:" + part + ":ec2:us-east-1:111122223333:network-interface/eni-1"
		if got := allowed(p, Request{Action: "ec2:CreateTags", Resource: eni}); got != tri.True {
			t.Errorf("%s: ec2:CreateTags on %s: %v", arn, eni, got)
		}
		if got := allowed(aws, Request{Action: "ec2:CreateTags", Resource: eni}); got != tri.False {
			t.Errorf("aws partition's document: ec2:CreateTags on %s: %v", eni, got)
		}
	}
}

// TestAWSManagedOnce: a policy is parsed once; concurrent lookups get the
// same *Policy.
func TestAWSManagedOnce(t *testing.T) {
	const arn = "arn:aws:iam::aws:policy/AmazonEKSLoadBalancingPolicy"
	var wg sync.WaitGroup
	got := make([]*Policy, 8)
	for i := range got {
		wg.Go(func() { got[i] = AWSManaged(arn) })
	}
	wg.Wait()
	for _, p := range got {
		if p == nil || p != got[0] {
			t.Fatalf("lookups differ: %p %p", p, got[0])
		}
	}
}

// TestAWSManagedAllParse: every embedded document reads as a policy
// without errors, and its statements point at the managed file.
func TestAWSManagedAllParse(t *testing.T) {
	keys := managed.Keys()
	if len(keys) < 1500 {
		t.Fatalf("%d policies embedded", len(keys))
	}
	for _, k := range keys {
		arn := "arn:aws:iam::aws:policy/" + k
		p := AWSManaged(arn)
		if p == nil {
			t.Errorf("%s: listed but not found", k)
			continue
		}
		if len(p.Errors) > 0 {
			t.Errorf("%s: %v", k, p.Errors)
		}
		for _, st := range p.Statements {
			if st.Range.File != managedFile+k {
				t.Errorf("%s: statement in %q", k, st.Range.File)
				break
			}
		}
	}
}

func TestAWSManagedName(t *testing.T) {
	tests := []struct{ arn, part, key, name string }{
		{"arn:aws:iam::aws:policy/AdministratorAccess", "aws", "AdministratorAccess", "AdministratorAccess"},
		{"arn:aws-cn:iam::aws:policy/service-role/AmazonEC2RoleforSSM", "aws-cn", "service-role/AmazonEC2RoleforSSM", "AmazonEC2RoleforSSM"},
		{"arn:aws-us-gov:iam::aws:policy/job-function/ViewOnlyAccess", "aws-us-gov", "job-function/ViewOnlyAccess", "ViewOnlyAccess"},
	}
	for _, tt := range tests {
		part, key, ok := AWSManagedKey(tt.arn)
		name, ok2 := AWSManagedName(tt.arn)
		if !ok || !ok2 || part != tt.part || key != tt.key || name != tt.name {
			t.Errorf("%s: %q %q %v, name %q %v", tt.arn, part, key, ok, name, ok2)
		}
	}
	if _, _, ok := AWSManagedKey("arn:aws:iam::111122223333:policy/x"); ok {
		t.Error("a customer managed policy is not an AWS managed one")
	}
	if !strings.HasPrefix(managed.DataSource().Dataset, "github.com/") {
		t.Errorf("data source %+v", managed.DataSource())
	}
}

// BenchmarkAWSManagedParse is what a first lookup of one policy adds to
// finding its document: parsing it (AmazonEKSComputePolicy, 8 statements).
func BenchmarkAWSManagedParse(b *testing.B) {
	doc, _, ok := managed.Document("AmazonEKSComputePolicy")
	if !ok {
		b.Fatal("AmazonEKSComputePolicy missing")
	}
	b.ReportAllocs()
	for b.Loop() {
		v, err := jsonpos.Parse([]byte(doc), managedFile+"AmazonEKSComputePolicy")
		if err != nil {
			b.Fatal(err)
		}
		FromValue(v, "arn:aws:iam::aws:policy/AmazonEKSComputePolicy")
	}
}

// BenchmarkAWSManagedCached is every later lookup of the same ARN.
func BenchmarkAWSManagedCached(b *testing.B) {
	AWSManaged("arn:aws:iam::aws:policy/AmazonEKSComputePolicy")
	for b.Loop() {
		if AWSManaged("arn:aws:iam::aws:policy/AmazonEKSComputePolicy") == nil {
			b.Fatal("missing")
		}
	}
}
