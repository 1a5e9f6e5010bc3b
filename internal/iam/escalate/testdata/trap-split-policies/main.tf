# Neither policy escalates alone: one lets the user rewrite the admin
# role's trust policy, the other lets it assume that role.
resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user_policy" "trust" {
  name = "trust"
  user = aws_iam_user.dev.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:UpdateAssumeRolePolicy", Resource = "arn:aws:iam::*:role/admin" }]
  })
}

resource "aws_iam_policy" "assume" {
  name = "assume"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = "arn:aws:iam::*:role/admin" }]
  })
}

resource "aws_iam_user_policy_attachment" "assume" {
  user       = aws_iam_user.dev.name
  policy_arn = aws_iam_policy.assume.arn
}

resource "aws_iam_role" "admin" {
  name = "admin"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
