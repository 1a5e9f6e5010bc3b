# IAM-006: actions that do not exist, and malformed documents.
variable "actions" {} # no default: known only after apply

resource "aws_iam_policy" "typos" {
  name = "typos"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:GetObjects", "ec2:Dscribe*", "s3:PutObject"] # want IAM-006
        Resource = "*"
      },
      {
        Effect    = "Deny"
        NotAction = ["iam:ChangePasword"] # want IAM-006
        Resource  = "*"
      },
      {
        Effect   = "Allow"
        Action   = ["kubernetes:GetPods", "iam"] # want IAM-006
        Resource = "*"
      },
    ]
  })
}

data "aws_iam_policy_document" "good" { # want +IAM-006
  statement {
    actions   = ["s3:GetObject", "s3:List*", "ec2:Describe*", "*"]
    resources = ["*"]
  }
  statement {
    effect      = "Deny"
    not_actions = ["iam:ChangePassword", "sts:GetSessionToken"]
    resources   = ["*"]
  }
}

resource "aws_iam_policy" "good" {
  name   = "good"
  policy = data.aws_iam_policy_document.good.json
}

resource "aws_iam_group_policy" "no_statement" {
  name   = "no-statement"
  group  = "devs"
  policy = jsonencode({ Version = "2012-10-17" }) # want IAM-006
}

resource "aws_iam_user_policy" "broken_json" {
  name   = "broken"
  user   = "bob"
  policy = "{\"Version\": \"2012-10-17\", \"Statement\": [" # want IAM-006
}

resource "aws_iam_role" "typo_trust" {
  name = "typo-trust"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRol" # want IAM-006
    }]
  })
  inline_policy {
    name = "later"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect   = "Allow"
        Action   = var.actions # want ?IAM-006
        Resource = "*"
      }]
    })
  }
}

resource "aws_iam_role" "fine_trust" {
  name = "fine-trust"
  assume_role_policy = jsonencode({ # want +IAM-006
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = ["sts:AssumeRole", "sts:TagSession"] }]
  })
}

# The resource policies the data rules read are checked too. A heredoc with
# a trailing comma is not JSON: AWS rejects it, and it is reported rather
# than read as a policy that allows nothing.
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

resource "aws_kms_key" "heredoc" {
  policy = local.broken_key_policy # want IAM-006
}

resource "aws_s3_bucket_policy" "typo" {
  bucket = "acme-typo"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:role/reader" }
      Action    = "s3:GetObjcet" # want IAM-006
      Resource  = "arn:aws:s3:::acme-typo/*"
    }]
  })
}

resource "aws_secretsmanager_secret_policy" "fine" {
  secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:api"
  policy = jsonencode({ # want +IAM-006
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:role/api" }, Action = "secretsmanager:GetSecretValue", Resource = "*" }]
  })
}
