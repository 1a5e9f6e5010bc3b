variable "key_policy" {
  type = string
}

resource "aws_kms_key" "open" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Admin"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::111122223333:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      { # want DATA-020
        Sid       = "Everyone"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = ["kms:Decrypt", "kms:DescribeKey"]
        Resource  = "*"
      }
    ]
  })
}

resource "aws_kms_key" "org" {
  policy = data.aws_iam_policy_document.org.json
}

data "aws_iam_policy_document" "org" { # want +DATA-020
  statement {
    actions   = ["kms:Decrypt"]
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

resource "aws_kms_key" "viaservice" {
  policy = data.aws_iam_policy_document.viaservice.json
}

data "aws_iam_policy_document" "viaservice" {
  statement { # want DATA-020
    actions   = ["kms:Decrypt"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.eu-west-1.amazonaws.com"]
    }
  }
}

resource "aws_kms_key" "awsmanagedstyle" {
  policy = jsonencode({ # want +DATA-020
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = "kms:Decrypt"
      Resource  = "*"
      Condition = {
        StringEquals = {
          "kms:ViaService"    = "secretsmanager.eu-west-1.amazonaws.com"
          "kms:CallerAccount" = "111122223333"
        }
      }
    }]
  })
}

resource "aws_kms_key" "negated" {
  policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\",\"Condition\":{\"StringNotEquals\":{\"aws:PrincipalAccount\":\"444455556666\"}}}]}" # want DATA-020
}

resource "aws_kms_key" "denyonly" {
  policy = jsonencode({ # want +DATA-020
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::111122223333:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Effect    = "Deny"
        Principal = "*"
        Action    = "kms:*"
        Resource  = "*"
        Condition = { StringNotEquals = { "aws:PrincipalOrgID" = "o-a1b2c3d4e5" } }
      }
    ]
  })
}

resource "aws_kms_key" "nopolicy" { # want +DATA-020
  description = "default key policy"
}

resource "aws_kms_key" "computed" {
  description = "policy from a variable"
  policy      = var.key_policy # want ?DATA-020
}

# Patterns every principal meets limit nothing: kms:CallerAccount "*", and
# an aws:PrincipalArn pattern naming a role in any account (any account can
# create a role of that name).
resource "aws_kms_key" "anycaller" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ # want DATA-020
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = "kms:Decrypt"
      Resource  = "*"
      Condition = { StringLike = { "kms:CallerAccount" = "*" } }
    }]
  })
}

resource "aws_kms_key" "namedrole" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ # want DATA-020
      Effect    = "Allow"
      Principal = "*"
      Action    = "kms:Decrypt"
      Resource  = "*"
      Condition = { ArnLike = { "aws:PrincipalArn" = "arn:aws:iam::*:role/platform-admin" } }
    }]
  })
}

# An organization path starting with the organization limits.
resource "aws_kms_key" "orgpaths" {
  policy = jsonencode({ # want +DATA-020
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "kms:Decrypt"
      Resource  = "*"
      Condition = { "ForAnyValue:StringLike" = { "aws:PrincipalOrgPaths" = "o-a1b2c3d4e5/r-ab12/*" } }
    }]
  })
}

# The root of the account the code deploys to, known but for the account:
# not everyone, whatever the account.
data "aws_caller_identity" "current" {}

resource "aws_kms_key" "ownroot" {
  policy = jsonencode({ # want +DATA-020
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

# Principals known only at apply but for their beginning: the ARN of
# whoever runs Terraform, and the root of an account given at deploy. An
# ARN is never "*".
resource "aws_kms_key" "caller" {
  policy = jsonencode({ # want +DATA-020
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = data.aws_caller_identity.current.arn }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

variable "key_account" {
  type = string
}

data "aws_iam_policy_document" "deployaccount" { # want +DATA-020
  statement {
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${var.key_account}:root"]
    }
  }
}

resource "aws_kms_key" "deployaccount" {
  policy = data.aws_iam_policy_document.deployaccount.json
}

# A key policy that is not JSON (a heredoc with a trailing comma): AWS
# rejects it, and whom it was meant to allow is not knowable: unknown, not
# a pass (IAM-006 reports the document).
locals {
  broken_key_policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": "*",
      "Action": "kms:*",
      "Resource": "*",
    }
  ]
}
EOF
}

resource "aws_kms_key" "badjson" {
  policy = local.broken_key_policy # want ?DATA-020
}
