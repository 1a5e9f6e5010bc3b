# Trap: dev may attach policies to role app, but app's trust names user
# other, and dev may not rewrite it.

resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user_policy" "dev" {
  name   = "dev"
  user   = aws_iam_user.dev.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["iam:AttachRolePolicy", "sts:AssumeRole"], Resource = aws_iam_role.app.arn },
    ]
  })
}

resource "aws_iam_user" "other" {
  name = "other"
}

resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = aws_iam_user.other.arn } },
    ]
  })
}
