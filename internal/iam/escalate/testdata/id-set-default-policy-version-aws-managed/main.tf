# Negative: role ops may set default versions of any policy, but the only
# managed policy attached to it is AWS managed (ReadOnlyAccess), whose
# versions customers cannot change; its inline policy has no versions.
resource "aws_iam_role" "ops" {
  name = "ops"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "ops" {
  name = "versions"
  role = aws_iam_role.ops.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:SetDefaultPolicyVersion", Resource = "*" }]
  })
}

resource "aws_iam_role_policy_attachment" "readonly" {
  role       = aws_iam_role.ops.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
