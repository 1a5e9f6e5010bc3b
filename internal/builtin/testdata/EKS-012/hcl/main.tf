resource "aws_eks_cluster" "a" {
  name = "a"
}

resource "aws_eks_cluster" "b" {
  name = "b"
}

resource "aws_eks_cluster" "c" { # want ?EKS-012
  name = "c"
}

resource "aws_eks_cluster" "d" {
  name = "d"
}

resource "aws_eks_addon" "a_cni" {
  cluster_name         = aws_eks_cluster.a.name
  addon_name           = "vpc-cni"
  configuration_values = jsonencode({ env = { ENABLE_PREFIX_DELEGATION = "true" } }) # want EKS-012
}

resource "aws_eks_addon" "b_cni" {
  cluster_name         = "b"
  addon_name           = "vpc-cni"
  configuration_values = jsonencode({ enableNetworkPolicy = "true" }) # want +EKS-012
}

variable "cni_config" {}

resource "aws_eks_addon" "d_cni" {
  cluster_name         = "d"
  addon_name           = "vpc-cni"
  configuration_values = var.cni_config # want ?EKS-012
}

resource "aws_eks_addon" "coredns" {
  cluster_name = "c"
  addon_name   = "coredns"
}

resource "kubernetes_manifest" "default_deny" {
  manifest = {
    apiVersion = "networking.k8s.io/v1"
    kind       = "NetworkPolicy"
    metadata   = { name = "default-deny", namespace = "apps" }
    spec       = { podSelector = {}, policyTypes = ["Ingress", "Egress"] }
  }
}
