# The admin role's trust names user dev itself (by reference): within one
# account that is enough, no identity policy needed.
resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_role" "admin" {
  name = "admin"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = aws_iam_user.dev.arn } }]
  })
  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
}
