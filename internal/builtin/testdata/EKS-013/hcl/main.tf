resource "aws_iam_role" "node" {
  name = "eks-node"
}

resource "aws_iam_role_policy_attachment" "node_cni" {
  policy_arn = "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy" # want EKS-013
  role       = aws_iam_role.node.name
}

resource "aws_iam_role_policy_attachment" "node_worker" {
  policy_arn = "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"
  role       = aws_iam_role.node.name
}

resource "aws_eks_node_group" "default" {
  node_group_name = "default"
  node_role_arn   = aws_iam_role.node.arn
}

resource "aws_iam_role" "node2" {
  name = "eks-node-2"
}

resource "aws_eks_node_group" "clean" {
  node_group_name = "clean"
  node_role_arn   = aws_iam_role.node2.arn # want +EKS-013
}
