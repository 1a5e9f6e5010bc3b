# Trap: dev may join group admins (AdministratorAccess), but its permissions
# boundary allows only S3 reads: as a member it is still bounded.

resource "aws_iam_user" "dev" {
  name = "dev"
  permissions_boundary = aws_iam_policy.s3read.arn
}

resource "aws_iam_user_policy" "dev" {
  name   = "dev"
  user   = aws_iam_user.dev.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "iam:AddUserToGroup", Resource = "*" },
    ]
  })
}

resource "aws_iam_group" "admins" {
  name = "admins"
}

resource "aws_iam_group_policy_attachment" "admins" {
  group      = aws_iam_group.admins.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_policy" "s3read" {
  name   = "s3read"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "s3:GetObject", Resource = "*" },
    ]
  })
}
