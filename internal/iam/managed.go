package iam

import (
	"strings"
	"sync"

	"github.com/eksguard/eksguard/internal/jsonpos"
)

// awsManagedDocs are the AWS managed policies platform code attaches most,
// by name, as AWS publishes them (statements that matter for permissions;
// ReadOnlyAccess is reduced to its Describe/Get/List shape). Any other
// AWS managed policy is unknown to eksguard and evaluates as unknown.
var awsManagedDocs = map[string]string{
	"AdministratorAccess": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`,
	"PowerUserAccess": `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","NotAction":["iam:*","organizations:*","account:*"],"Resource":"*"},
		{"Effect":"Allow","Action":["iam:CreateServiceLinkedRole","iam:DeleteServiceLinkedRole","iam:ListRoles",
			"organizations:DescribeOrganization","account:ListRegions","account:GetAccountInformation"],"Resource":"*"}]}`,
	"IAMFullAccess": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:*","organizations:DescribeAccount",
		"organizations:DescribeOrganization","organizations:DescribeOrganizationalUnit","organizations:DescribePolicy",
		"organizations:ListChildren","organizations:ListParents","organizations:ListPoliciesForTarget","organizations:ListRoots",
		"organizations:ListPolicies","organizations:ListTargetsForPolicy"],"Resource":"*"}]}`,
	"ReadOnlyAccess": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["*:Describe*","*:Get*","*:List*"],"Resource":"*"}]}`,
	"AmazonEKSWorkerNodePolicy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:DescribeInstances",
		"ec2:DescribeInstanceTypes","ec2:DescribeRouteTables","ec2:DescribeSecurityGroups","ec2:DescribeSubnets",
		"ec2:DescribeVolumes","ec2:DescribeVolumesModifications","ec2:DescribeVpcs","eks:DescribeCluster",
		"eks-auth:AssumeRoleForPodIdentity"],"Resource":"*"}]}`,
	"AmazonEKS_CNI_Policy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:AssignIpv6Addresses",
		"ec2:AssignPrivateIpAddresses","ec2:AttachNetworkInterface","ec2:CreateNetworkInterface","ec2:DeleteNetworkInterface",
		"ec2:DescribeInstances","ec2:DescribeTags","ec2:DescribeNetworkInterfaces","ec2:DescribeInstanceTypes",
		"ec2:DescribeSubnets","ec2:DetachNetworkInterface","ec2:ModifyNetworkInterfaceAttribute",
		"ec2:UnassignPrivateIpAddresses"],"Resource":"*"},
		{"Effect":"Allow","Action":"ec2:CreateTags","Resource":"arn:aws:ec2:*:*:network-interface/*"}]}`,
	"AmazonEC2ContainerRegistryReadOnly": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[
		"ecr:GetAuthorizationToken","ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer","ecr:GetRepositoryPolicy",
		"ecr:DescribeRepositories","ecr:ListImages","ecr:DescribeImages","ecr:BatchGetImage","ecr:GetLifecyclePolicy",
		"ecr:GetLifecyclePolicyPreview","ecr:ListTagsForResource","ecr:DescribeImageScanFindings"],"Resource":"*"}]}`,
	"AmazonEC2ContainerRegistryPullOnly": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[
		"ecr:GetAuthorizationToken","ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"],"Resource":"*"}]}`,
	"AmazonEKSClusterPolicy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["autoscaling:DescribeAutoScalingGroups",
		"autoscaling:UpdateAutoScalingGroup","ec2:AttachVolume","ec2:AuthorizeSecurityGroupIngress","ec2:CreateRoute",
		"ec2:CreateSecurityGroup","ec2:CreateTags","ec2:CreateVolume","ec2:DeleteRoute","ec2:DeleteSecurityGroup",
		"ec2:DeleteVolume","ec2:Describe*","ec2:DetachVolume","ec2:ModifyInstanceAttribute","ec2:ModifyVolume",
		"ec2:RevokeSecurityGroupIngress","elasticloadbalancing:*","kms:DescribeKey"],"Resource":"*"},
		{"Effect":"Allow","Action":"iam:CreateServiceLinkedRole","Resource":"*",
		 "Condition":{"StringEquals":{"iam:AWSServiceName":"elasticloadbalancing.amazonaws.com"}}}]}`,
	"AmazonEKSServicePolicy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:CreateNetworkInterface",
		"ec2:CreateNetworkInterfacePermission","ec2:DeleteNetworkInterface","ec2:DescribeInstances",
		"ec2:DescribeNetworkInterfaces","ec2:DetachNetworkInterface","ec2:DescribeSecurityGroups","ec2:DescribeSubnets",
		"ec2:DescribeVpcs","ec2:ModifyNetworkInterfaceAttribute","iam:ListAttachedRolePolicies","eks:UpdateClusterVersion"],
		"Resource":"*"},
		{"Effect":"Allow","Action":"ec2:CreateTags","Resource":"arn:aws:ec2:*:*:network-interface/*"},
		{"Effect":"Allow","Action":"route53:AssociateVPCWithHostedZone","Resource":"*"},
		{"Effect":"Allow","Action":["logs:CreateLogGroup","logs:DescribeLogStreams","logs:CreateLogStream","logs:PutLogEvents"],
		 "Resource":"arn:aws:logs:*:*:log-group:/aws/eks/*"},
		{"Effect":"Allow","Action":"iam:CreateServiceLinkedRole","Resource":"*",
		 "Condition":{"StringLike":{"iam:AWSServiceName":"eks.amazonaws.com"}}}]}`,
	"AmazonEKSVPCResourceController": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Action":"ec2:CreateNetworkInterfacePermission","Resource":"*",
		"Condition":{"ForAnyValue:StringEquals":{"ec2:ResourceTag/eks:eni:owner":"eks-vpc-resource-controller"}}},
		{"Effect":"Allow","Action":["ec2:CreateNetworkInterface","ec2:DetachNetworkInterface","ec2:ModifyNetworkInterfaceAttribute",
		"ec2:DeleteNetworkInterface","ec2:AttachNetworkInterface","ec2:UnassignPrivateIpAddresses","ec2:AssignPrivateIpAddresses",
		"ec2:DescribeInstances","ec2:DescribeNetworkInterfaces","ec2:DescribeSecurityGroups","ec2:DescribeSubnets",
		"ec2:DescribeTrunkInterfaceAssociations","ec2:CreateTags"],"Resource":"*"}]}`,
	"AmazonSSMManagedInstanceCore": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:DescribeAssociation",
		"ssm:GetDeployablePatchSnapshotForInstance","ssm:GetDocument","ssm:DescribeDocument","ssm:GetManifest",
		"ssm:GetParameter","ssm:GetParameters","ssm:ListAssociations","ssm:ListInstanceAssociations","ssm:PutInventory",
		"ssm:PutComplianceItems","ssm:PutConfigurePackageResult","ssm:UpdateAssociationStatus",
		"ssm:UpdateInstanceAssociationStatus","ssm:UpdateInstanceInformation","ssmmessages:CreateControlChannel",
		"ssmmessages:CreateDataChannel","ssmmessages:OpenControlChannel","ssmmessages:OpenDataChannel",
		"ec2messages:AcknowledgeMessage","ec2messages:DeleteMessage","ec2messages:FailMessage",
		"ec2messages:GetEndpoint","ec2messages:GetMessages","ec2messages:SendReply"],"Resource":"*"}]}`,
}

var (
	managedOnce   sync.Once
	managedByName map[string]*Policy
)

// AWSManaged returns the document of an AWS managed policy ARN
// (arn:<partition>:iam::aws:policy/[path/]Name), or nil when eksguard does
// not embed it or the ARN is not one.
func AWSManaged(arn string) *Policy {
	name, ok := AWSManagedName(arn)
	if !ok {
		return nil
	}
	managedOnce.Do(func() {
		managedByName = map[string]*Policy{}
		for n, doc := range awsManagedDocs {
			v, err := jsonpos.Parse([]byte(doc), "aws-managed:"+n)
			if err != nil {
				panic("embedded managed policy " + n + ": " + err.Error())
			}
			p := FromValue(v, "arn:aws:iam::aws:policy/"+n)
			managedByName[n] = p
		}
	})
	return managedByName[name]
}

// AWSManagedName returns the name of an AWS managed policy ARN.
func AWSManagedName(arn string) (string, bool) {
	parts := splitARN(arn)
	if parts == nil || parts[0] != "arn" || parts[2] != "iam" || parts[4] != "aws" || !strings.HasPrefix(parts[5], "policy/") {
		return "", false
	}
	return parts[5][strings.LastIndexByte(parts[5], '/')+1:], true
}
