# Negative: user dev carries AdministratorAccess under a boundary that
# would let it remove the boundary, but dev's inline policy denies that.
resource "aws_iam_policy" "boundary" {
  name = "boundary"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:GetObject", "iam:DeleteUserPermissionsBoundary"], Resource = "*" }]
  })
}

resource "aws_iam_user" "dev" {
  name                 = "dev"
  permissions_boundary = aws_iam_policy.boundary.arn
}

resource "aws_iam_user_policy_attachment" "admin" {
  user       = aws_iam_user.dev.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_user_policy" "deny" {
  name = "deny"
  user = aws_iam_user.dev.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", Action = "iam:DeleteUserPermissionsBoundary", Resource = "*" }]
  })
}
