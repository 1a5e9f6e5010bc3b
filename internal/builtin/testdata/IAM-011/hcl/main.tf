# IAM-011: people and third parties must say who they are (Conveyor's
# mandatory role session name).
variable "trust_condition" {} # no default: known only after apply

resource "aws_iam_role" "admins" {
  name = "admins"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:root" } # want IAM-011
      Action    = "sts:AssumeRole"
      Condition = { Bool = { "aws:MultiFactorAuthPresent" = "true" } }
    }]
  })
}

resource "aws_iam_role" "developers" {
  name = "developers"
  assume_role_policy = jsonencode({ # want +IAM-011
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:root" }
      Action    = "sts:AssumeRole"
      Condition = { StringLike = { "sts:RoleSessionName" = "$${aws:username}" } }
    }]
  })
}

resource "aws_iam_role" "any_name" {
  name = "any-name"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = ["arn:aws:iam::111122223333:role/sso-ops"] } # want IAM-011
      Action    = "sts:AssumeRole"
      Condition = { StringLike = { "sts:RoleSessionName" = "*" } }
    }]
  })
}

data "aws_iam_policy_document" "source_identity" { # want +IAM-011
  statement {
    actions = ["sts:AssumeRole", "sts:SetSourceIdentity"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:role/sso-ops"]
    }
    condition {
      test     = "StringLike"
      variable = "sts:SourceIdentity"
      values   = ["*"]
    }
  }
}

resource "aws_iam_role" "source_identity" {
  name               = "source-identity"
  assume_role_policy = data.aws_iam_policy_document.source_identity.json
}

resource "aws_iam_role" "saml" {
  name = "saml-ops"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::111122223333:saml-provider/okta" } # want IAM-011
      Action    = "sts:AssumeRoleWithSAML"
      Condition = { StringEquals = { "SAML:aud" = "https://signin.aws.amazon.com/saml" } }
    }]
  })
}

resource "aws_iam_role" "conditional" {
  name = "conditional"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:role/sso-ops" } # want ?IAM-011
      Action    = "sts:AssumeRole"
      Condition = var.trust_condition
    }]
  })
}

# Services and workloads are not people.
resource "aws_iam_role" "lambda" {
  name = "lambda"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}
