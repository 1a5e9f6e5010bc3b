# Trap: user admin has two access keys and dev may not delete one: AWS
# refuses a third.

resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user_policy" "dev" {
  name   = "dev"
  user   = aws_iam_user.dev.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "iam:CreateAccessKey", Resource = aws_iam_user.admin.arn },
    ]
  })
}

resource "aws_iam_user" "admin" {
  name = "admin"
}

resource "aws_iam_user_policy_attachment" "admin" {
  user       = aws_iam_user.admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_access_key" "one" {
  user = aws_iam_user.admin.name
}

resource "aws_iam_access_key" "two" {
  user = aws_iam_user.admin.name
}
