# IAM-014: IRSA trusts must name the service account and the audience
# (the DevSecOps settings page).
resource "aws_eks_cluster" "prod" {
  name     = "prod"
  role_arn = "arn:aws:iam::111122223333:role/eks-cluster"
  vpc_config {
    subnet_ids = ["subnet-1", "subnet-2"]
  }
}

resource "aws_iam_openid_connect_provider" "eks" {
  url            = aws_eks_cluster.prod.identity[0].oidc[0].issuer
  client_id_list = ["sts.amazonaws.com"]
}

# Only the audience is checked: every pod of the cluster can assume it.
data "aws_iam_policy_document" "any_pod" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.eks.arn] # want IAM-014
    }
    condition {
      test     = "StringEquals"
      variable = "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "any_pod" {
  name               = "any-pod"
  assume_role_policy = data.aws_iam_policy_document.any_pod.json
}

resource "aws_iam_role" "wildcard_namespace" {
  name = "wildcard-namespace"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF" }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = { "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF:aud" = "sts.amazonaws.com" }
        StringLike   = { "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF:sub" = "system:serviceaccount:*" } # want IAM-014
      }
    }]
  })
}

resource "aws_iam_role" "api" {
  name = "api"
  assume_role_policy = jsonencode({ # want +IAM-014
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF" }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF:sub" = "system:serviceaccount:payments:api"
          "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

# A namespace-wide role: the namespace is the tenant boundary (decision).
resource "aws_iam_role" "namespace" {
  name = "namespace"
  assume_role_policy = jsonencode({ # want +IAM-014
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF" }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = { "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF:aud" = "sts.amazonaws.com" }
        StringLike   = { "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF:sub" = "system:serviceaccount:batch:*" }
      }
    }]
  })
}

# The usual module shape: the condition key is built from the provider URL,
# whose cluster id is assigned at apply; the key still reads as the
# provider's :sub, and there is no :aud.
data "aws_iam_policy_document" "computed_key" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.eks.arn] # want IAM-014
    }
    condition {
      test     = "StringEquals"
      variable = "${replace(aws_iam_openid_connect_provider.eks.url, "https://", "")}:sub"
      values   = ["system:serviceaccount:kube-system:aws-node"]
    }
  }
}

resource "aws_iam_role" "computed_key" {
  name               = "computed-key"
  assume_role_policy = data.aws_iam_policy_document.computed_key.json
}
