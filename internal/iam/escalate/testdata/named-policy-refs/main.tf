# Policies and roles named by reference: managed_policy_arns lists
# aws_iam_policy.admin.arn and the PassRole statement names
# aws_iam_role.admin.arn. No account is given, yet both ARNs are in the
# same (unstated) account, so the path is certain.

resource "aws_iam_policy" "admin" {
  name   = "admin"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })
}

resource "aws_iam_role" "admin" {
  name                = "admin"
  managed_policy_arns = [aws_iam_policy.admin.arn]
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }] })
}

resource "aws_iam_instance_profile" "admin" {
  name = "admin"
  role = aws_iam_role.admin.name
}

resource "aws_iam_user" "dev" { name = "dev" }

resource "aws_iam_user_policy" "dev" {
  user = aws_iam_user.dev.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "iam:PassRole", Resource = aws_iam_role.admin.arn },
    { Effect = "Allow", Action = "ec2:RunInstances", Resource = "*" },
  ] })
}
