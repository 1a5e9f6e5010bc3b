# Negative: the boundary allows iam:PutRolePolicy, so ci can write a new
# inline policy, but the boundary still caps what ci may do: it allows only
# iam:PutRolePolicy and reading S3, whatever the inline policies say.
resource "aws_iam_policy" "boundary" {
  name = "boundary"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["iam:PutRolePolicy", "s3:GetObject"], Resource = "*" }]
  })
}

resource "aws_iam_role" "ci" {
  name                 = "ci"
  permissions_boundary = aws_iam_policy.boundary.arn
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "codebuild.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "ci" {
  name = "roles"
  role = aws_iam_role.ci.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:PutRolePolicy", Resource = "*" }]
  })
}
