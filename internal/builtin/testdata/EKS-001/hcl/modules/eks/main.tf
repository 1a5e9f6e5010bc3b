variable "public" {}

resource "aws_eks_cluster" "this" {
  count = 1
  name  = "computed"
  vpc_config {
    endpoint_private_access = true
    endpoint_public_access  = var.public # want ?EKS-001
  }
}
