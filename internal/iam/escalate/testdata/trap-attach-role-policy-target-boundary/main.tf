# Trap: dev may attach policies to role app and assume it, but app's
# permissions boundary allows only S3 reads.

resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user_policy" "dev" {
  name   = "dev"
  user   = aws_iam_user.dev.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "iam:AttachRolePolicy", Resource = aws_iam_role.app.arn },
    ]
  })
}

resource "aws_iam_role" "app" {
  name = "app"
  permissions_boundary = aws_iam_policy.s3read.arn
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = aws_iam_user.dev.arn } },
    ]
  })
}

resource "aws_iam_policy" "s3read" {
  name   = "s3read"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "s3:GetObject", Resource = "*" },
    ]
  })
}
