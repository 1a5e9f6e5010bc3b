variable "cluster_name" {}

# Which cluster's group this is, is known only once the variable is.
resource "aws_cloudwatch_log_group" "eks" {
  name              = "/aws/eks/${var.cluster_name}/cluster"
  retention_in_days = 365
}

resource "aws_eks_cluster" "this" {
  name                      = var.cluster_name
  role_arn                  = "arn:aws:iam::123456654321:role/eks"
  enabled_cluster_log_types = ["audit"] # want ?AUD-005
}
