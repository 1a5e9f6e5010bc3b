# User dev may write inline policies on user ci and create access keys for it
# (iam-018).

resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user_policy" "dev" {
  name   = "dev"
  user   = aws_iam_user.dev.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["iam:PutUserPolicy", "iam:CreateAccessKey"], Resource = "arn:aws:iam::*:user/ci" },
    ]
  })
}

resource "aws_iam_user" "ci" {
  name = "ci"
}
