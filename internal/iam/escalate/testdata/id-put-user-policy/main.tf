# User dev may write inline policies on itself only (its own ARN in any
# account): it puts one allowing everything.
resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user_policy" "dev" {
  name = "self"
  user = aws_iam_user.dev.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["iam:PutUserPolicy", "iam:GetUserPolicy"], Resource = "arn:aws:iam::*:user/dev" }]
  })
}
