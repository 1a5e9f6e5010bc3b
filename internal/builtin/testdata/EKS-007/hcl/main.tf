resource "aws_eks_cluster" "legacy" { # want EKS-007
  name = "legacy"
}

resource "aws_eks_cluster" "explicit" {
  name = "explicit"
  access_config {
    authentication_mode                         = "API"
    bootstrap_cluster_creator_admin_permissions = true # want EKS-007
  }
}

resource "aws_eks_cluster" "hardened" {
  name = "hardened"
  access_config {
    authentication_mode                         = "API"
    bootstrap_cluster_creator_admin_permissions = false # want +EKS-007
  }
}

variable "bootstrap" {}

resource "aws_eks_cluster" "computed" {
  name = "computed"
  access_config {
    bootstrap_cluster_creator_admin_permissions = var.bootstrap # want ?EKS-007
  }
}
