# The log group EKS writes control-plane logs to, declared before the
# cluster so Terraform, not EKS, creates it.
resource "aws_cloudwatch_log_group" "prod" {
  name              = "/aws/eks/prod/cluster"
  retention_in_days = 365 # want +AUD-005
}

resource "aws_eks_cluster" "prod" {
  name                      = "prod"
  role_arn                  = "arn:aws:iam::123456654321:role/eks"
  enabled_cluster_log_types = ["audit", "authenticator"]
  depends_on                = [aws_cloudwatch_log_group.prod]
}

resource "aws_cloudwatch_log_group" "short" {
  name              = "/aws/eks/short/cluster"
  retention_in_days = 90 # want AUD-005
}

resource "aws_cloudwatch_log_group" "forever" { # want AUD-005
  name = "/aws/eks/forever/cluster"
}

resource "aws_cloudwatch_log_group" "zero" {
  name              = "/aws/eks/zero/cluster"
  retention_in_days = 0 # want AUD-005
}

variable "retention" {}

resource "aws_cloudwatch_log_group" "variable" {
  name              = "/aws/eks/variable/cluster"
  retention_in_days = var.retention # want ?AUD-005
}

# Named after the cluster by reference.
resource "aws_cloudwatch_log_group" "by_reference" {
  name              = "/aws/eks/${aws_eks_cluster.referenced.name}/cluster"
  retention_in_days = 731 # want +AUD-005
}

resource "aws_eks_cluster" "referenced" {
  name                      = "referenced"
  role_arn                  = "arn:aws:iam::123456654321:role/eks"
  enabled_cluster_log_types = ["audit"]
}

# Not an EKS control-plane log group.
resource "aws_cloudwatch_log_group" "app" {
  name = "/app/web"
}

# Logging on, no log group declared: EKS creates one that never expires.
resource "aws_eks_cluster" "undeclared" {
  name                      = "undeclared"
  role_arn                  = "arn:aws:iam::123456654321:role/eks"
  enabled_cluster_log_types = ["api", "audit"] # want AUD-005
}

# No logging: nothing to keep (EKS-005 judges that).
resource "aws_eks_cluster" "quiet" {
  name     = "quiet"
  role_arn = "arn:aws:iam::123456654321:role/eks"
}
