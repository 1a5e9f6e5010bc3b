# User dev is in group devs (aws_iam_user_group_membership), whose policy
# lets members attach managed policies to devs.
resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_group" "devs" {
  name = "devs"
}

resource "aws_iam_user_group_membership" "dev" {
  user   = aws_iam_user.dev.name
  groups = [aws_iam_group.devs.name]
}

resource "aws_iam_group_policy" "devs" {
  name  = "attach"
  group = aws_iam_group.devs.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:AttachGroupPolicy", Resource = "arn:aws:iam::*:group/devs" }]
  })
}
