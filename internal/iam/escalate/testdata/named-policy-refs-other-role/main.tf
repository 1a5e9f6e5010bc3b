# Trap: the PassRole statement names role app by reference, not the
# administrator role admin; in the same unstated account the two ARNs
# differ, so no path.
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
    { Effect = "Allow", Action = "iam:PassRole", Resource = aws_iam_role.app.arn },
    { Effect = "Allow", Action = "ec2:RunInstances", Resource = "*" },
  ] })
}

resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }] })
}
