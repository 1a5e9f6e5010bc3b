# Negative: a managed policy allows dev iam:Attach* on any principal, but
# dev's inline policy denies iam:Attach*.
resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_policy" "attach" {
  name = "attach"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:Attach*", Resource = "*" }]
  })
}

resource "aws_iam_user_policy_attachment" "dev" {
  user       = aws_iam_user.dev.name
  policy_arn = aws_iam_policy.attach.arn
}

resource "aws_iam_user_policy" "deny" {
  name = "deny"
  user = aws_iam_user.dev.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", Action = "iam:Attach*", Resource = "*" }]
  })
}
