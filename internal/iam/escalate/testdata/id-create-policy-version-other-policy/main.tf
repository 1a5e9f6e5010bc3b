# Negative: iam:CreatePolicyVersion is allowed only on policy "other", not
# on policy dev, the one attached to dev.
resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_policy" "dev" {
  name = "dev"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["iam:CreatePolicyVersion", "s3:GetObject"], Resource = "arn:aws:iam::*:policy/other" }]
  })
}

resource "aws_iam_user_policy_attachment" "dev" {
  user       = aws_iam_user.dev.name
  policy_arn = aws_iam_policy.dev.arn
}
