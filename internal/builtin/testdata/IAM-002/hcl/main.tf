# IAM-002: service-wide wildcards in the policies of workload roles.
variable "trust" {} # no default: known only after apply

# An IRSA role (web identity) with an inline s3:*.
resource "aws_iam_role" "pod" {
  name = "pod"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF" }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = { StringEquals = { "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF:sub" = "system:serviceaccount:app:api" } }
    }]
  })
  inline_policy {
    name = "data"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [
        { # want IAM-002
          Effect   = "Allow"
          Action   = ["s3:*", "sqs:SendMessage"]
          Resource = "arn:aws:s3:::data/*"
        },
      ]
    })
  }
}

# A Lambda role with a managed policy allowing iam:*, and a scoped one.
resource "aws_iam_role" "fn" {
  name = "fn"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

data "aws_iam_policy_document" "iam_all" {
  statement { # want IAM-002
    actions   = ["iam:*"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "iam_all" {
  name   = "iam-all"
  policy = data.aws_iam_policy_document.iam_all.json
}

resource "aws_iam_role_policy_attachment" "fn_iam_all" {
  role       = aws_iam_role.fn.name
  policy_arn = aws_iam_policy.iam_all.arn
}

resource "aws_iam_policy" "fn_scoped" {
  name = "fn-scoped"
  policy = jsonencode({ # want +IAM-002
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["s3:Get*", "s3:PutObject"], Resource = "arn:aws:s3:::data/*" },
      { Effect = "Deny", Action = "iam:*", Resource = "*" },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "fn_scoped" {
  role       = aws_iam_role.fn.name
  policy_arn = aws_iam_policy.fn_scoped.arn
}

# A role people assume: not a workload role, so s3:* is not this rule's
# concern.
resource "aws_iam_role" "ops" {
  name = "ops"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:role/sso-admins" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "ops" {
  name = "ops"
  role = aws_iam_role.ops.id
  policy = jsonencode({ # want +IAM-002
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:*", Resource = "*" }]
  })
}

# Whose trust is known only after apply.
resource "aws_iam_role" "mystery" {
  name               = "mystery"
  assume_role_policy = var.trust
}

resource "aws_iam_role_policy" "mystery" {
  name = "mystery"
  role = aws_iam_role.mystery.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "dynamodb:*", Resource = "*" }, # want ?IAM-002
    ]
  })
}

# Not attached to any role, and a user's policy: no verdict.
resource "aws_iam_policy" "loose" {
  name   = "loose"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:*", Resource = "*" }] })
}

resource "aws_iam_user_policy" "bob" {
  name   = "bob"
  user   = "bob"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:*", Resource = "*" }] })
}
