# IAM-013: GitHub Actions OIDC trust pinned to a repository (the DevSecOps settings page).
variable "repos" {} # no default: known only after apply

resource "aws_iam_openid_connect_provider" "github" {
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}

# The provider ARN is known only after apply; its URL says it is GitHub's.
data "aws_iam_policy_document" "no_sub" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.github.arn] # want IAM-013
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "no_sub" {
  name               = "no-sub"
  assume_role_policy = data.aws_iam_policy_document.no_sub.json
}

data "aws_iam_policy_document" "org_wide" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.github.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition { # want IAM-013
      test     = "StringLike"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:my-org/*"]
    }
  }
}

resource "aws_iam_role" "org_wide" {
  name               = "org-wide"
  assume_role_policy = data.aws_iam_policy_document.org_wide.json
}

data "aws_iam_policy_document" "pinned" { # want +IAM-013
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.github.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringLike"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:my-org/platform:ref:refs/heads/main", "repo:my-org/platform:environment:*"]
    }
  }
}

resource "aws_iam_role" "pinned" {
  name               = "pinned"
  assume_role_policy = data.aws_iam_policy_document.pinned.json
}

resource "aws_iam_role" "any_repo" {
  name = "any-repo"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" }
        StringLike   = { "token.actions.githubusercontent.com:sub" = "*" } # want IAM-013
      }
    }]
  })
}

resource "aws_iam_role" "no_aud" {
  name = "no-aud"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" } # want IAM-013
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = { StringEquals = { "token.actions.githubusercontent.com:sub" = "repo:my-org/platform:ref:refs/heads/main" } }
    }]
  })
}

resource "aws_iam_role" "from_variable" {
  name = "from-variable"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" }
        StringLike   = { "token.actions.githubusercontent.com:sub" = var.repos } # want ?IAM-013
      }
    }]
  })
}

# Not GitHub: an IRSA role and a service role get no IAM-013 verdict.
resource "aws_iam_role" "irsa" {
  name = "irsa"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF" }
      Action    = "sts:AssumeRoleWithWebIdentity"
    }]
  })
}

# jsonencode with the provider's ARN (known only after apply): its URL says
# it is GitHub's.
resource "aws_iam_role" "encoded_no_sub" {
  name = "encoded-no-sub"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.github.arn } # want IAM-013
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = { StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" } }
    }]
  })
}
