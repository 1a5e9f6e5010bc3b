# terraform-aws-eks's shape: access entries in a map, the creator's
# principal read from AWS, associations from a flattened list with
# each.value.principal_arn. The creator's association names a principal
# no code shows; it must not be mistaken for one of the other entries'
# roles, which the same list refers to.
data "aws_iam_session_context" "current" {
  arn = "arn:aws:sts::111122223333:assumed-role/deployer/ci"
}

resource "aws_iam_role" "viewer" {
  name = "viewer"
}

resource "aws_eks_cluster" "this" {
  name     = "main"
  role_arn = "arn:aws:iam::111122223333:role/eks"
  vpc_config {
    subnet_ids = ["subnet-1"]
  }
}

locals {
  entries = {
    creator = {
      principal_arn = data.aws_iam_session_context.current.issuer_arn
      policy_arn    = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
    }
    viewer = {
      principal_arn = aws_iam_role.viewer.arn
      policy_arn    = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"
    }
  }
  flattened = flatten([for k, v in local.entries : [merge(v, { entry_key = k })]])
}

resource "aws_eks_access_policy_association" "this" {
  for_each = { for v in local.flattened : v.entry_key => v }

  cluster_name  = aws_eks_cluster.this.name
  policy_arn    = each.value.policy_arn # want +EKS-009
  principal_arn = each.value.principal_arn # want ?EKS-009
  access_scope {
    type = "cluster"
  }
}
