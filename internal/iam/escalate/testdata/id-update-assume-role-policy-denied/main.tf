# Negative: as id-update-assume-role-policy, but a managed policy attached
# to dev denies iam:UpdateAssumeRolePolicy on role admin.
resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user_policy" "dev" {
  name = "trust"
  user = aws_iam_user.dev.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"], Resource = "arn:aws:iam::*:role/admin" }]
  })
}

resource "aws_iam_role" "admin" {
  name = "admin"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
}

resource "aws_iam_policy" "guard" {
  name = "guard"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", Action = "iam:UpdateAssumeRolePolicy", Resource = "arn:aws:iam::*:role/admin" }]
  })
}

resource "aws_iam_user_policy_attachment" "guard" {
  user       = aws_iam_user.dev.name
  policy_arn = aws_iam_policy.guard.arn
}
