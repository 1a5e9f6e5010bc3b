# IAM-012: trust to * or to a whole account without any condition.
variable "condition" {} # no default: known only after apply

resource "aws_iam_role" "root" {
  name = "root-trust"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { AWS = ["arn:aws:iam::111122223333:root", "444455556666"] } # want IAM-012
        Action    = "sts:AssumeRole"
      },
    ]
  })
}

data "aws_iam_policy_document" "everyone" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "*"
      identifiers = ["*"] # want IAM-012
    }
  }
}

resource "aws_iam_role" "everyone" {
  name               = "everyone"
  assume_role_policy = data.aws_iam_policy_document.everyone.json
}

resource "aws_iam_role" "root_mfa" {
  name = "root-mfa"
  assume_role_policy = jsonencode({ # want +IAM-012
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:root" }
      Action    = "sts:AssumeRole"
      Condition = { Bool = { "aws:MultiFactorAuthPresent" = "true" } }
    }]
  })
}

resource "aws_iam_role" "named_role" {
  name = "named-role"
  assume_role_policy = jsonencode({ # want +IAM-012
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:role/ci" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role" "conditional_root" {
  name = "conditional-root"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:root" } # want ?IAM-012
      Action    = "sts:AssumeRole"
      Condition = var.condition
    }]
  })
}

# A Deny to everyone and a service trust are fine.
resource "aws_iam_role" "service" {
  name = "service"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" },
      { Effect = "Deny", Principal = { AWS = "*" }, Action = "sts:AssumeRole" },
    ]
  })
}

# A condition every principal meets narrows nothing.
resource "aws_iam_role" "anyarn" {
  name = "anyarn"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "*" } # want IAM-012
      Action    = "sts:AssumeRole"
      Condition = { ArnLike = { "aws:PrincipalArn" = "arn:aws:iam::*:*" } }
    }]
  })
}

# The root of the account the code deploys to, known but for the account,
# is a whole account too.
data "aws_caller_identity" "current" {}

resource "aws_iam_role" "ownroot" {
  name = "ownroot"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" } # want IAM-012
      Action    = "sts:AssumeRole"
    }]
  })
}

# A pattern confined to one account narrows.
resource "aws_iam_role" "accountroles" {
  name = "accountroles"
  assume_role_policy = jsonencode({ # want +IAM-012
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = "sts:AssumeRole"
      Condition = { ArnLike = { "aws:PrincipalArn" = "arn:aws:iam::111122223333:role/*" } }
    }]
  })
}
