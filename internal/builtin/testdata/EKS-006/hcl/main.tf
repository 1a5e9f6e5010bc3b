resource "aws_eks_cluster" "seed002" {
  enabled_cluster_log_types = ["audit", "authenticator"] # want EKS-006
}

resource "aws_eks_cluster" "all" {
  enabled_cluster_log_types = ["scheduler", "api", "audit", "authenticator", "controllerManager"] # want +EKS-006
}

variable "log_types" {}

resource "aws_eks_cluster" "computed" {
  enabled_cluster_log_types = var.log_types # want ?EKS-006
}
