variable "policy" {}

resource "aws_secretsmanager_secret_policy" "open" {
  secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:api"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ # want DATA-011
      Effect    = "Allow"
      Principal = "*"
      Action    = "secretsmanager:GetSecretValue"
      Resource  = "*"
    }]
  })
}

resource "aws_secretsmanager_secret_policy" "scoped" {
  secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:api"
  policy = jsonencode({ # want +DATA-011
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:role/api" }, Action = "secretsmanager:GetSecretValue", Resource = "*" }]
  })
}

data "aws_iam_policy_document" "org" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-a1b2c3d4e5"]
    }
  }
}

resource "aws_secretsmanager_secret_policy" "org" {
  secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:api"
  policy     = data.aws_iam_policy_document.org.json # want +DATA-011
}

resource "aws_secretsmanager_secret_policy" "computed" {
  secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:api"
  policy     = var.policy # want ?DATA-011
}
