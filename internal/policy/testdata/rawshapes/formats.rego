# Conftest-style checks of the same cluster setting in each format's own
# document shape.
package main

import rego.v1

# Terraform HCL, as conftest's hcl2 parser shapes it.
deny contains {"msg": sprintf("hcl %s", [name]), "path": ["resource", "aws_eks_cluster", name, i, "vpc_config", j, "endpoint_public_access"]} if {
	some name, blocks in input.resource.aws_eks_cluster
	some i, b in blocks
	some j, vpc in b.vpc_config
	vpc.endpoint_public_access == true
}

# Terraform plan JSON.
deny contains {"msg": sprintf("plan %s", [rc.address]), "path": ["resource_changes", i, "change", "after", "vpc_config", 0, "endpoint_public_access"]} if {
	some i, rc in input.resource_changes
	rc.type == "aws_eks_cluster"
	rc.change.after.vpc_config[0].endpoint_public_access == true
}

# CloudFormation, short-form tags in their long form.
deny contains {"msg": sprintf("cfn %s", [name]), "path": sprintf("Resources.%s.Properties.ResourcesVpcConfig.EndpointPublicAccess", [name])} if {
	some name, r in input.Resources
	r.Type == "AWS::EKS::Cluster"
	r.Properties.ResourcesVpcConfig.EndpointPublicAccess == true
}

warn contains sprintf("cfn %s takes a parameter", [name]) if {
	some name, r in input.Resources
	r.Properties.ResourcesVpcConfig.EndpointPublicAccess.Ref
}
