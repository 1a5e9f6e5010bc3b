# Negative: user dev may write inline policies only on user other, which
# it cannot act as (no credentials of its own for other).
resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user" "other" {
  name = "other"
}

resource "aws_iam_user_policy" "dev" {
  name = "other"
  user = aws_iam_user.dev.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:PutUserPolicy", Resource = "arn:aws:iam::*:user/other" }]
  })
}
