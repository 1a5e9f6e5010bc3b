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

# A pattern every organization id matches, and the whole address space,
# limit nothing.
data "aws_iam_policy_document" "anyorg" {
  statement { # want DATA-011
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringLike"
      variable = "aws:PrincipalOrgID"
      values   = ["o-*"]
    }
  }
}

resource "aws_secretsmanager_secret_policy" "anyorg" {
  secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:api"
  policy     = data.aws_iam_policy_document.anyorg.json
}

resource "aws_secretsmanager_secret_policy" "anyip" {
  secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:api"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ # want DATA-011
      Effect    = "Allow"
      Principal = "*"
      Action    = "secretsmanager:GetSecretValue"
      Resource  = "*"
      Condition = { IpAddress = { "aws:SourceIp" = ["203.0.113.0/24", "0.0.0.0/0"] } }
    }]
  })
}

# The root of the account the code deploys to, known but for the account.
data "aws_caller_identity" "current" {}

resource "aws_secretsmanager_secret_policy" "ownroot" {
  secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:api"
  policy = jsonencode({ # want +DATA-011
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }, Action = "secretsmanager:GetSecretValue", Resource = "*" }]
  })
}

# A network range known only after apply may be the whole address space.
variable "office_cidr" {
  type = string
}

resource "aws_secretsmanager_secret_policy" "office" {
  secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:api"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ # want ?DATA-011
      Effect    = "Allow"
      Principal = "*"
      Action    = "secretsmanager:GetSecretValue"
      Resource  = "*"
      Condition = { IpAddress = { "aws:SourceIp" = var.office_cidr } }
    }]
  })
}

# A policy that is not JSON: unknown, not a pass.
resource "aws_secretsmanager_secret_policy" "badjson" {
  secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:api"
  policy     = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"secretsmanager:GetSecretValue\", \"Resource\": \"*\",}]}" # want ?DATA-011
}
