resource "aws_kms_key" "logs" {
  enable_key_rotation = true
}

resource "aws_cloudwatch_log_group" "prod" {
  name              = "/aws/eks/prod/cluster"
  retention_in_days = 365
  kms_key_id        = aws_kms_key.logs.arn # want +AUD-006
}

resource "aws_eks_cluster" "prod" {
  name                      = "prod"
  role_arn                  = "arn:aws:iam::123456654321:role/eks"
  enabled_cluster_log_types = ["audit", "authenticator"]
  depends_on                = [aws_cloudwatch_log_group.prod]
}

resource "aws_cloudwatch_log_group" "plain" { # want AUD-006
  name              = "/aws/eks/plain/cluster"
  retention_in_days = 365
}

variable "log_key" {}

resource "aws_cloudwatch_log_group" "variable" {
  name              = "/aws/eks/variable/cluster"
  retention_in_days = 365
  kms_key_id        = var.log_key # want ?AUD-006
}

# Logging on, no log group declared: EKS creates one without a KMS key.
resource "aws_eks_cluster" "undeclared" {
  name                      = "undeclared"
  role_arn                  = "arn:aws:iam::123456654321:role/eks"
  enabled_cluster_log_types = ["audit"] # want AUD-006
}
