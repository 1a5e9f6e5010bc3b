# METADATA
# custom:
#   selector:
#     type: aws_eks_cluster
package play

deny[msg]{
    input.vpc_config[0].endpoint_public_access == true
    msg := sprintf("The public endpoint is enabled on the cluster", [])
}
