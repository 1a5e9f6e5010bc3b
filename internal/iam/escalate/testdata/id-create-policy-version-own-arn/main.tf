# iam:CreatePolicyVersion is allowed on the policy named dev in any account
# (its ARN pattern), which is the policy attached to dev.
resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_policy" "dev" {
  name = "dev"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["iam:CreatePolicyVersion", "s3:GetObject"], Resource = "arn:aws:iam::*:policy/dev" }]
  })
}

resource "aws_iam_user_policy_attachment" "dev" {
  user       = aws_iam_user.dev.name
  policy_arn = aws_iam_policy.dev.arn
}
