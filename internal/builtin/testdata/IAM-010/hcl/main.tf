# IAM-010: cross-account trust needs sts:ExternalId (Conveyor's documentation). No
# aws_caller_identity here: an account is foreign when it appears nowhere
# else in the code.
variable "partner_arn" {} # no default: known only after apply

resource "aws_iam_role" "vendor" {
  name = "vendor-installer"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::444455556666:root" } # want IAM-010
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role" "vendor_fenced" {
  name = "vendor-fenced"
  assume_role_policy = jsonencode({ # want +IAM-010
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = ["arn:aws:iam::444455556666:role/conveyor-control-plane"] }
      Action    = ["sts:AssumeRole", "sts:TagSession"]
      Condition = { StringEquals = { "sts:ExternalId" = "tenant-42" } }
    }]
  })
}

data "aws_iam_policy_document" "anyone" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["*"] # want IAM-010
    }
  }
}

resource "aws_iam_role" "anyone" {
  name               = "anyone"
  assume_role_policy = data.aws_iam_policy_document.anyone.json
}

data "aws_iam_policy_document" "org" { # want +IAM-010
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-abc123"]
    }
  }
}

resource "aws_iam_role" "org" {
  name               = "org-readers"
  assume_role_policy = data.aws_iam_policy_document.org.json
}

# 111122223333 also appears in a resource ARN below: it may be this code's
# own account.
resource "aws_iam_role" "maybe_own" {
  name = "maybe-own"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:role/ci" } # want ?IAM-010
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_policy" "reader" {
  name = "reader"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:app/*" }]
  })
}

resource "aws_iam_role" "partner" {
  name = "partner"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = var.partner_arn } # want ?IAM-010
      Action    = "sts:AssumeRole"
    }]
  })
}

# Service and web-identity trusts are not cross-account trusts.
resource "aws_iam_role" "service" {
  name = "service"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

# An organization pattern every organization id matches fences nothing.
data "aws_iam_policy_document" "anyorg" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["*"] # want IAM-010
    }
    condition {
      test     = "StringLike"
      variable = "aws:PrincipalOrgID"
      values   = ["o-*"]
    }
  }
}

resource "aws_iam_role" "anyorg" {
  name               = "any-org"
  assume_role_policy = data.aws_iam_policy_document.anyorg.json
}
