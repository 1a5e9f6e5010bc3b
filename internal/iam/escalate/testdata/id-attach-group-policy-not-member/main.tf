# Negative: dev may attach managed policies to any group, but is in none
# (group devs has no members), and cannot add itself to one.
resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_group" "devs" {
  name = "devs"
}

resource "aws_iam_user_policy" "dev" {
  name = "attach"
  user = aws_iam_user.dev.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:AttachGroupPolicy", Resource = "*" }]
  })
}
