resource "aws_eks_cluster" "seed002" {
  enabled_cluster_log_types = ["audit", "authenticator"] # want +EKS-005
}

resource "aws_eks_cluster" "apionly" {
  enabled_cluster_log_types = ["api", "audit"] # want EKS-005
}

resource "aws_eks_cluster" "nologs" { # want EKS-005
  name = "nologs"
}

variable "more_logs" {}

resource "aws_eks_cluster" "computed" {
  enabled_cluster_log_types = concat(["audit"], var.more_logs) # want ?EKS-005
}
