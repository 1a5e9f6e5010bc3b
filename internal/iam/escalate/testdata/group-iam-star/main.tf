# User dev may add itself to group iam-ops, whose policy allows iam:*; once a
# member it writes an inline policy on itself.

resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user_policy" "dev" {
  name   = "dev"
  user   = aws_iam_user.dev.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "iam:AddUserToGroup", Resource = "arn:aws:iam::*:group/iam-ops" },
    ]
  })
}

resource "aws_iam_group" "iam-ops" {
  name = "iam-ops"
}

resource "aws_iam_group_policy" "iam-ops" {
  name   = "iam-ops"
  group  = aws_iam_group.iam-ops.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "iam:*", Resource = "*" },
    ]
  })
}
