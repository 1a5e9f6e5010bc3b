# Escalation paths, one verdict per user and role.

# role ci can write a new default version of its own policy: a certain path.
resource "aws_iam_policy" "deploy" {
  name = "deploy"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{  # want IAM-030
      Effect   = "Allow"
      Action   = ["iam:CreatePolicyVersion", "s3:GetObject"]
      Resource = "*"
    }]
  })
}

resource "aws_iam_role" "ci" {
  name = "ci"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{  # want IAM-030
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::*:user/dev" }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "ci" {
  role       = aws_iam_role.ci.name
  policy_arn = aws_iam_policy.deploy.arn
}

# user dev assumes role ci (its trust names dev): reported at the trust.
resource "aws_iam_user" "dev" {
  name = "dev"
}

# role ops may attach policies to itself only with MFA: a possible path.
resource "aws_iam_role" "ops" {
  name = "ops"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "ops" {
  name = "ops"
  role = aws_iam_role.ops.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{  # want ?IAM-030
      Effect    = "Allow"
      Action    = "iam:AttachRolePolicy"
      Resource  = "*"
      Condition = { Bool = { "aws:MultiFactorAuthPresent" = "true" } }
    }]
  })
}

# role reader only reads S3: no path.
resource "aws_iam_role" "reader" { # want +IAM-030
  name = "reader"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "reader" {
  name = "reader"
  role = aws_iam_role.reader.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }]
  })
}

# role admin is administrator already (IAM-001 and friends judge that): no path.
resource "aws_iam_role" "admin" { # want +IAM-030
  name                = "admin"
  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

# A group is not judged on its own.
resource "aws_iam_group" "devs" {
  name = "devs"
}
