locals {
  versions = { seed002 = "1.19", extended = "1.32", current = "1.34", future = "1.40" }
}

resource "aws_eks_cluster" "seed002" {
  version = local.versions["seed002"] # want EKS-010
}

resource "aws_eks_cluster" "extended" {
  version = local.versions.extended # want EKS-010
}

resource "aws_eks_cluster" "current" {
  version = local.versions.current # want +EKS-010
}

resource "aws_eks_cluster" "future" {
  version = lookup(local.versions, "future", "1.30") # want +EKS-010
}

resource "aws_eks_cluster" "default" { # want +EKS-010
  name = "default"
}

variable "k8s_version" {}

resource "aws_eks_cluster" "computed" {
  version = var.k8s_version # want ?EKS-010
}
