# Negative: a new template version never reaches the node group without eks:UpdateNodegroupVersion.
resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user_policy" "dev" {
  user = aws_iam_user.dev.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
    Effect   = "Allow"
    Action   = ["ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"]
    Resource = "*"
  }]
  })
}

resource "aws_iam_role" "target" {
  name = "target"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Action = "sts:AssumeRole"
      Principal = {
        Service = "ec2.amazonaws.com"
      }
    }]
  })
  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
}

resource "aws_launch_template" "nodes" {
  name          = "nodes"
  instance_type = "m5.large"
}

resource "aws_eks_node_group" "nodes" {
  cluster_name    = "prod"
  node_group_name = "nodes"
  node_role_arn   = aws_iam_role.target.arn
  subnet_ids      = ["subnet-12345678"]
  scaling_config {
    desired_size = 1
    min_size     = 1
    max_size     = 2
  }
  launch_template {
    id      = aws_launch_template.nodes.id
    version = aws_launch_template.nodes.latest_version
  }
}
