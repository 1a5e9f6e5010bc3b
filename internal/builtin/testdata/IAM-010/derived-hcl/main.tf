# Values the evaluator derives without --account-id: the caller identity's
# account is the role's own, so a trust confined to it by a condition on
# aws:PrincipalArn is not cross-account (the terraform-aws-modules roles'
# self-assumption statement).
data "aws_caller_identity" "current" {}

resource "aws_iam_role" "self" {
  name = "self-assuming"
  assume_role_policy = jsonencode({ # want +IAM-010
    Version = "2012-10-17"
    Statement = [{
      Sid       = "ExplicitSelfRoleAssumption"
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "*" }
      Condition = {
        ArnLike = { "aws:PrincipalArn" = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/self-*" }
      }
    }]
  })
}

# The same shape naming another account is cross-account.
resource "aws_iam_role" "other" {
  name = "other-account"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "*" } # want IAM-010
      Condition = {
        StringEquals = { "aws:PrincipalAccount" = "777788889999" }
      }
    }]
  })
}

# Principal * with no such condition: any account.
resource "aws_iam_role" "any" {
  name = "any-account"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "*" } # want IAM-010
    }]
  })
}
