# Another root module deploying its own cluster, with no NetworkPolicy:
# the policies of the root above are not its, so its vpc-cni add-on is
# not judged (terraform-aws-eks-blueprints keeps one root per pattern, one
# of them with NetworkPolicies).
resource "aws_eks_cluster" "other" {
  name = "other"
}

resource "aws_eks_addon" "other_cni" {
  cluster_name = aws_eks_cluster.other.name
  addon_name   = "vpc-cni"
}
