# An IPv6 cluster's node role carries the AmazonEKS_CNI_IPv6_Policy the EKS
# User Guide has each account create, written as terraform-aws-eks writes
# it: its ARN is derived, known but for the account. It is the CNI policy,
# so it belongs to aws-node's own role (EKS-013), and it is not an extra
# policy on the node role (IAM-022).
data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

resource "aws_iam_role" "node" {
  name = "eks-node-ipv6"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "node_cni" {
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:policy/AmazonEKS_CNI_IPv6_Policy" # want EKS-013
  role       = aws_iam_role.node.name
}

resource "aws_eks_node_group" "default" {
  node_group_name = "default"
  node_role_arn   = aws_iam_role.node.arn
}
