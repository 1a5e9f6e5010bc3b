locals {
  oidc_host         = "oidc.eks.eu-west-1.amazonaws.com/id/5C9A1B0E7D3F4A2B8C6D0E1F2A3B4C5D"
  oidc_provider_arn = "arn:aws:iam::111122223333:oidc-provider/${local.oidc_host}"
}

resource "aws_iam_openid_connect_provider" "eks" {
  url             = "https://${local.oidc_host}"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
}

resource "aws_iam_role" "payments_api" {
  name = "payments-api"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = local.oidc_provider_arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "${local.oidc_host}:sub" = "system:serviceaccount:payments:api"
          "${local.oidc_host}:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

# Trusts the worker ServiceAccount only; orders/api is annotated with it too.
resource "aws_iam_role" "orders_worker" {
  name = "orders-worker"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = local.oidc_provider_arn }
      Action    = ["sts:AssumeRoleWithWebIdentity"]
      Condition = {
        StringEquals = {
          "${local.oidc_host}:sub" = ["system:serviceaccount:orders:worker"]
        }
      }
    }]
  })
}

resource "aws_iam_role" "analytics" {
  name = "analytics-readers"
  path = "/teams/analytics/"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = local.oidc_provider_arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringLike = {
          "${local.oidc_host}:sub" = "system:serviceaccount:analytics:*"
        }
        StringEquals = {
          "${local.oidc_host}:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

# No sub condition: any service account of the cluster may assume it
# (the IAM rules report that); it admits this one.
resource "aws_iam_role" "legacy" {
  name = "legacy-app"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = local.oidc_provider_arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = { "${local.oidc_host}:aud" = "sts.amazonaws.com" }
      }
    }]
  })
}

# An EKS Pod Identity role: IRSA cannot use it.
resource "aws_iam_role" "pod_identity" {
  name = "search-indexer"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "pods.eks.amazonaws.com" }
      Action    = ["sts:AssumeRole", "sts:TagSession"]
    }]
  })
}

# The provider ARN is known only after apply, so the whole policy is.
resource "aws_iam_role" "mailer" {
  name = "mailer"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.eks.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = { "${local.oidc_host}:sub" = "system:serviceaccount:mail:mailer" }
      }
    }]
  })
}

resource "kubernetes_service_account_v1" "billing" {
  metadata {
    name      = "billing"
    namespace = "billing"
    # The role's ARN is derived from its name (the account stays unknown
    # without --account-id), so its trust is checked: it admits payments/api only.
    annotations = {
      "eks.amazonaws.com/role-arn" = aws_iam_role.payments_api.arn # want K8S-035
    }
  }
}

resource "kubernetes_service_account_v1" "orders_api_tf" {
  metadata {
    name      = "api"
    namespace = "orders-tf"
    annotations = {
      "eks.amazonaws.com/role-arn" = "arn:aws:iam::111122223333:role/payments-api" # want K8S-035
    }
  }
}
