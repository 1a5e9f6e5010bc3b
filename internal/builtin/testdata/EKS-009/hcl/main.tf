resource "aws_iam_role" "ci" {
  name = "ci-deployer"
}

resource "aws_iam_role" "admin" {
  name = "platform-admin"
}

resource "aws_eks_access_policy_association" "ci" {
  cluster_name  = "prod"
  policy_arn    = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
  principal_arn = aws_iam_role.ci.arn # want EKS-009
  access_scope {
    type = "cluster"
  }
}

resource "aws_eks_access_policy_association" "admin" {
  cluster_name  = "prod"
  policy_arn    = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
  principal_arn = aws_iam_role.admin.arn # want +EKS-009
  access_scope {
    type = "cluster"
  }
}

resource "aws_eks_access_policy_association" "literal" {
  cluster_name  = "prod"
  policy_arn    = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
  principal_arn = "arn:aws:iam::111122223333:role/platform-admin" # want +EKS-009
  access_scope {
    type = "cluster"
  }
}

resource "aws_eks_access_policy_association" "namespaced" {
  cluster_name  = "prod"
  policy_arn    = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
  principal_arn = "arn:aws:iam::111122223333:role/team-a"
  access_scope {
    type       = "namespace" # want +EKS-009
    namespaces = ["team-a"]
  }
}

resource "aws_eks_access_policy_association" "view" {
  policy_arn    = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy" # want +EKS-009
  principal_arn = "arn:aws:iam::111122223333:role/auditor"
  access_scope {
    type = "cluster"
  }
}

variable "admin_arn" {}

resource "aws_eks_access_policy_association" "external" {
  policy_arn    = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
  principal_arn = var.admin_arn # want ?EKS-009
  access_scope {
    type = "cluster"
  }
}

resource "aws_eks_access_entry" "masters" {
  cluster_name      = "prod"
  principal_arn     = "arn:aws:iam::111122223333:user/alice" # want EKS-009
  kubernetes_groups = ["system:masters"]
}

resource "aws_eks_access_entry" "dev" {
  principal_arn     = "arn:aws:iam::111122223333:role/dev"
  kubernetes_groups = ["developers"] # want +EKS-009
}

variable "groups" {}

resource "aws_eks_access_entry" "computed" {
  principal_arn     = "arn:aws:iam::111122223333:role/x"
  kubernetes_groups = var.groups # want ?EKS-009
}
