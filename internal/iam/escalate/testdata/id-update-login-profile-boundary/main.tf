# Negative: dev's policy allows changing any user's console password,
# but its permissions boundary allows only reading S3.
resource "aws_iam_user" "dev" {
  name                 = "dev"
  permissions_boundary = aws_iam_policy.boundary.arn
}

resource "aws_iam_user_policy" "dev" {
  name = "users"
  user = aws_iam_user.dev.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:UpdateLoginProfile", Resource = "*" }]
  })
}

resource "aws_iam_user" "admin" {
  name = "admin"
}

resource "aws_iam_user_policy_attachment" "admin" {
  user       = aws_iam_user.admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_user_login_profile" "admin" {
  user = aws_iam_user.admin.name
}

resource "aws_iam_policy" "boundary" {
  name = "boundary"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:GetObject", "s3:ListBucket"], Resource = "*" }]
  })
}
