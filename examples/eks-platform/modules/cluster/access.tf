locals {
  cluster_admins = {
    platform = var.admin_role_arn
    ci       = var.ci_role_arn
  }
}

resource "aws_eks_access_entry" "admin" {
  for_each      = local.cluster_admins
  cluster_name  = aws_eks_cluster.this.name
  principal_arn = each.value
}

resource "aws_eks_access_policy_association" "admin" {
  for_each      = local.cluster_admins
  cluster_name  = aws_eks_cluster.this.name
  principal_arn = each.value
  policy_arn    = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
  access_scope {
    type = "cluster"
  }
}
