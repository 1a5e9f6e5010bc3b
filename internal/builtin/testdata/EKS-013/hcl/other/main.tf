# Another root module whose cluster gives aws-node a Pod Identity role
# for a service account known only after apply: that tells nothing of the
# cluster of the root above, whose CNI policy stays on the node role.
resource "aws_iam_role" "aws_node" {
  name = "aws-node"
}

resource "aws_eks_pod_identity_association" "aws_node" {
  cluster_name    = "other"
  namespace       = "kube-system"
  service_account = aws_iam_role.aws_node.unique_id
  role_arn        = aws_iam_role.aws_node.arn
}
