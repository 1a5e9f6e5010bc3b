resource "aws_eks_cluster" "legacy" { # want EKS-008
  name = "legacy"
}

resource "aws_eks_cluster" "configmap" {
  name = "configmap"
  access_config {
    authentication_mode = "CONFIG_MAP" # want EKS-008
  }
}

resource "aws_eks_cluster" "api" {
  name = "api"
  access_config {
    authentication_mode = "API" # want +EKS-008
  }
}

resource "aws_eks_cluster" "migrating" {
  name = "migrating"
  access_config {
    authentication_mode = "API_AND_CONFIG_MAP" # want +EKS-008
  }
}

variable "mode" {}

resource "aws_eks_cluster" "computed" {
  name = "computed"
  access_config {
    authentication_mode = var.mode # want ?EKS-008
  }
}
