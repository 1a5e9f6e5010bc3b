# Trap: dev may write policies on user ci and create its keys only with a
# token issued before 2020: no credentials today are that old.

resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user_policy" "dev" {
  name   = "dev"
  user   = aws_iam_user.dev.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["iam:PutUserPolicy", "iam:CreateAccessKey"], Resource = "arn:aws:iam::*:user/ci", Condition = { DateLessThan = { "aws:TokenIssueTime" = "2020-01-01T00:00:00Z" } } },
    ]
  })
}

resource "aws_iam_user" "ci" {
  name = "ci"
}
