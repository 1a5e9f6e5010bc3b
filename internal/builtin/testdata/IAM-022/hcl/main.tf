# IAM-022: node roles carry only the worker node policies (Snyk's EKS hardening post).
variable "extra_policy" {} # no default: known only after apply
variable "user_data" {}    # no default

locals {
  ec2_trust = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role" "node" {
  name               = "eks-node"
  assume_role_policy = local.ec2_trust
}

resource "aws_iam_role_policy_attachment" "node_worker" {
  role       = aws_iam_role.node.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"
}

resource "aws_iam_role_policy_attachment" "node_ecr" {
  role       = aws_iam_role.node.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"
}

resource "aws_iam_role_policy_attachment" "node_s3" {
  role       = aws_iam_role.node.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonS3FullAccess" # want IAM-022
}

resource "aws_iam_role_policy_attachment" "node_later" {
  role       = aws_iam_role.node.name
  policy_arn = var.extra_policy # want ?IAM-022
}

resource "aws_iam_role_policy" "node_inline" {
  name = "external-dns"
  role = aws_iam_role.node.id
  policy = jsonencode({ # want IAM-022
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "route53:ChangeResourceRecordSets", Resource = "*" }]
  })
}

resource "aws_eks_node_group" "default" {
  cluster_name    = "prod"
  node_group_name = "default"
  node_role_arn   = aws_iam_role.node.arn
  subnet_ids      = ["subnet-1"]
}

resource "aws_iam_role" "clean" { # want +IAM-022
  name               = "eks-node-clean"
  assume_role_policy = local.ec2_trust
}

resource "aws_iam_role_policy_attachment" "clean" {
  for_each   = toset(["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly", "AmazonEKS_CNI_Policy", "AmazonSSMManagedInstanceCore"])
  role       = aws_iam_role.clean.name
  policy_arn = "arn:aws:iam::aws:policy/${each.key}"
}

resource "aws_eks_node_group" "clean" {
  cluster_name    = "prod"
  node_group_name = "clean"
  node_role_arn   = aws_iam_role.clean.arn
  subnet_ids      = ["subnet-1"]
}

# Self-managed nodes: the launch template's instance profile joins EKS.
resource "aws_iam_role" "self_managed" {
  name               = "self-managed-node"
  assume_role_policy = local.ec2_trust
}

resource "aws_iam_policy" "node_extras" {
  name   = "node-extras"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "ec2:*", Resource = "*" }] })
}

resource "aws_iam_role_policy_attachment" "self_managed_extras" {
  role       = aws_iam_role.self_managed.name
  policy_arn = aws_iam_policy.node_extras.arn # want IAM-022
}

resource "aws_iam_instance_profile" "self_managed" {
  name = "self-managed-node"
  role = aws_iam_role.self_managed.name
}

resource "aws_launch_template" "self_managed" {
  name = "self-managed"
  iam_instance_profile {
    name = aws_iam_instance_profile.self_managed.name
  }
  user_data = base64encode("#!/bin/bash\n/etc/eks/bootstrap.sh prod\n")
}

# A web server that is not an EKS node: its role is not judged.
resource "aws_iam_role" "web" {
  name               = "web"
  assume_role_policy = local.ec2_trust
}

resource "aws_iam_role_policy_attachment" "web" {
  role       = aws_iam_role.web.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonS3FullAccess"
}

resource "aws_iam_instance_profile" "web" {
  name = "web"
  role = aws_iam_role.web.name
}

resource "aws_launch_template" "web" {
  name = "web"
  iam_instance_profile {
    name = aws_iam_instance_profile.web.name
  }
  user_data = base64encode("#!/bin/bash\nyum install -y nginx\n")
}

# Launch data known only after apply: it may be a node.
resource "aws_iam_role" "maybe_node" {
  name               = "maybe-node"
  assume_role_policy = local.ec2_trust
}

resource "aws_iam_role_policy_attachment" "maybe_node" {
  role       = aws_iam_role.maybe_node.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonSQSFullAccess" # want ?IAM-022
}

resource "aws_iam_instance_profile" "maybe_node" {
  name = "maybe-node"
  role = aws_iam_role.maybe_node.name
}

resource "aws_launch_template" "maybe_node" {
  name = "maybe-node"
  iam_instance_profile {
    name = aws_iam_instance_profile.maybe_node.name
  }
  user_data = var.user_data
}

# Karpenter names its node role in the EC2NodeClass.
resource "aws_iam_role" "karpenter_node" {
  name               = "KarpenterNodeRole-prod"
  assume_role_policy = local.ec2_trust
}

resource "aws_iam_role_policy_attachment" "karpenter_node_admin" {
  role       = aws_iam_role.karpenter_node.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess" # want IAM-022
}
