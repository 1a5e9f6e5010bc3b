# IAM-020: secret reads on every resource instead of per-service paths
# (AOS Edge).
variable "secret_arns" {} # no default: known only after apply

resource "aws_kms_key" "secrets" {
  description = "secrets"
}

data "aws_iam_policy_document" "app" {
  statement { # want IAM-020
    sid       = "AllSecrets"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = ["*"]
  }
  statement { # want IAM-020
    sid       = "EverySecretOfTheAccount"
    actions   = ["secretsmanager:Get*"]
    resources = ["arn:aws:secretsmanager:eu-west-1:111122223333:secret:*"]
  }
  statement { # want IAM-020
    sid       = "AnyKeyThroughSecretsManager"
    actions   = ["kms:Decrypt"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.eu-west-1.amazonaws.com"]
    }
  }
  statement { # want IAM-020
    sid       = "AllParameters"
    actions   = ["ssm:GetParametersByPath", "ssm:GetParameter"]
    resources = ["arn:aws:ssm:eu-west-1:111122223333:parameter/*"]
  }
}

resource "aws_iam_policy" "app" {
  name   = "app"
  policy = data.aws_iam_policy_document.app.json
}

# AOS Edge's shape: each service reads its own path and key.
data "aws_iam_policy_document" "appsec" { # want +IAM-020
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["arn:aws:secretsmanager:eu-west-1:111122223333:secret:myproj-prod-appsec/*"]
  }
  statement {
    actions   = ["ssm:GetParameter", "ssm:GetParameters"]
    resources = ["arn:aws:ssm:eu-west-1:111122223333:parameter/myproj/prod/app/*"]
  }
  statement {
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.secrets.arn]
  }
  statement {
    sid       = "ScopedByEncryptionContext"
    actions   = ["kms:Decrypt"]
    resources = ["*"]
    condition {
      test     = "StringLike"
      variable = "kms:EncryptionContext:SecretARN"
      values   = ["arn:aws:secretsmanager:eu-west-1:111122223333:secret:myproj-prod-appsec/*"]
    }
  }
  statement {
    sid       = "ListingIsNotReading"
    actions   = ["secretsmanager:ListSecrets", "kms:ListKeys"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "appsec" {
  name   = "appsec"
  policy = data.aws_iam_policy_document.appsec.json
}

resource "aws_iam_policy" "later" {
  name = "later"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = var.secret_arns }, # want ?IAM-020
    ]
  })
}

# A variable is not a reference to one resource: it may be "*".
data "aws_iam_policy_document" "from_variable" {
  statement { # want ?IAM-020
    actions   = ["kms:Decrypt"]
    resources = var.secret_arns
  }
}

resource "aws_iam_policy" "from_variable" {
  name   = "from-variable"
  policy = data.aws_iam_policy_document.from_variable.json
}
