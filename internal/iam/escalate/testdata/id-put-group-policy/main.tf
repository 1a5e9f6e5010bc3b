# User dev is in group devs, whose policy lets members write inline
# policies on devs: dev writes one allowing everything.
resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_group" "devs" {
  name = "devs"
}

resource "aws_iam_group_membership" "devs" {
  name  = "devs"
  group = aws_iam_group.devs.name
  users = [aws_iam_user.dev.name]
}

resource "aws_iam_group_policy" "devs" {
  name  = "self"
  group = aws_iam_group.devs.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:PutGroupPolicy", Resource = "arn:aws:iam::*:group/devs" }]
  })
}

