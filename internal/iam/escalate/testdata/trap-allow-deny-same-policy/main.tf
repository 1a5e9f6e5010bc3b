# One policy both allows and denies iam:AttachRolePolicy: the explicit
# Deny wins, whatever the order of the statements.
resource "aws_iam_role" "ci" {
  name = "ci"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "codebuild.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "ci" {
  name = "ci"
  role = aws_iam_role.ci.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["iam:AttachRolePolicy", "s3:GetObject"], Resource = "*" },
      { Effect = "Deny", Action = "iam:AttachRolePolicy", Resource = "*" },
    ]
  })
}
