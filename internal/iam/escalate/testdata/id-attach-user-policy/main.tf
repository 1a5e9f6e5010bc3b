# User dev may attach managed policies to itself: it attaches
# AdministratorAccess.
resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user_policy" "dev" {
  name = "self"
  user = aws_iam_user.dev.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:AttachUserPolicy", Resource = "arn:aws:iam::*:user/dev" }]
  })
}
