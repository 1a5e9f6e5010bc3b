# The Auto Scaling group is pinned to version 3, but the principal may point it at the new version
# (autoscaling:UpdateAutoScalingGroup).
resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user_policy" "dev" {
  user = aws_iam_user.dev.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
    Effect   = "Allow"
    Action   = ["ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate", "autoscaling:UpdateAutoScalingGroup"]
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

resource "aws_iam_instance_profile" "target" {
  name = "target"
  role = aws_iam_role.target.name
}

resource "aws_launch_template" "app" {
  name          = "app"
  image_id      = "ami-12345678"
  instance_type = "t3.micro"
  iam_instance_profile {
    name = aws_iam_instance_profile.target.name
  }
}

resource "aws_autoscaling_group" "app" {
  name     = "app"
  min_size = 1
  max_size = 2
  launch_template {
    id      = aws_launch_template.app.id
    version = "3"
  }
}
