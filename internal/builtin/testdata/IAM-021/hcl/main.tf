# IAM-021: AWS managed power policies on workload roles.
variable "trust" {}      # no default: known only after apply
variable "policy_arn" {} # no default

resource "aws_iam_role" "fn" {
  name = "fn"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "fn_admin" {
  role       = aws_iam_role.fn.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess" # want IAM-021
}

resource "aws_iam_role_policy_attachment" "fn_readonly" {
  role       = aws_iam_role.fn.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess" # want +IAM-021
}

resource "aws_iam_policy" "fn" {
  name   = "fn"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }] })
}

resource "aws_iam_role_policy_attachment" "fn_custom" {
  role       = aws_iam_role.fn.name
  policy_arn = aws_iam_policy.fn.arn # want +IAM-021
}

resource "aws_iam_role_policy_attachment" "fn_later" {
  role       = aws_iam_role.fn.name
  policy_arn = var.policy_arn # want ?IAM-021
}

resource "aws_iam_policy_attachment" "shared_iam" {
  name       = "shared-iam"
  roles      = [aws_iam_role.fn.name]
  policy_arn = "arn:aws:iam::aws:policy/IAMFullAccess" # want IAM-021
}

# An IRSA role with PowerUserAccess through managed_policy_arns.
resource "aws_iam_role" "pod" {
  name = "pod"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF" }
      Action    = "sts:AssumeRoleWithWebIdentity"
    }]
  })
  managed_policy_arns = [
    "arn:aws:iam::aws:policy/PowerUserAccess", # want IAM-021
  ]
}

# People assume this one: a break-glass admin role is not a workload.
resource "aws_iam_role" "breakglass" {
  name = "breakglass"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "sts:AssumeRole", Condition = { Bool = { "aws:MultiFactorAuthPresent" = "true" } } }]
  })
}

resource "aws_iam_role_policy_attachment" "breakglass" {
  role       = aws_iam_role.breakglass.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess" # want +IAM-021
}

resource "aws_iam_role" "mystery" {
  name               = "mystery"
  assume_role_policy = var.trust
}

resource "aws_iam_role_policy_attachment" "mystery" {
  role       = aws_iam_role.mystery.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess" # want ?IAM-021
}

# Users are not workload roles (IAM-023 judges their keys).
resource "aws_iam_user_policy_attachment" "bob" {
  user       = "bob"
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
