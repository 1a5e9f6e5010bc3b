# User dev may write inline policies on role app and assume it (iam-017).

resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user_policy" "dev" {
  name   = "dev"
  user   = aws_iam_user.dev.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "iam:PutRolePolicy", Resource = "arn:aws:iam::*:role/app" },
      { Effect = "Allow", Action = "sts:AssumeRole", Resource = "arn:aws:iam::*:role/app" },
    ]
  })
}

resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::111122223333:root" } },
    ]
  })
}
