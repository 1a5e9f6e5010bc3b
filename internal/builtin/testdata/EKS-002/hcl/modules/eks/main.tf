variable "cidrs" {
  description = "no default and not passed: unknown"
}

resource "aws_eks_cluster" "this" {
  count = 1
  name  = "computed"
  vpc_config {
    endpoint_public_access = true
    public_access_cidrs    = var.cidrs # want ?EKS-002
  }
}
