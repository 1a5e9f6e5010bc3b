# NotAction s3:* reads like "no S3", but allows every other action,
# iam:AttachRolePolicy on itself included.
resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "app" {
  name = "app"
  role = aws_iam_role.app.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", NotAction = "s3:*", Resource = "*" },
      { Effect = "Deny", Action = ["iam:CreateUser", "organizations:*"], Resource = "*" },
    ]
  })
}
