# Two root modules, each deploying namespace "shop" to a cluster of its
# own (terraform-aws-eks-blueprints keeps one root per pattern). This one
# declares it with its Pod Security label; roots/hcl-undeclared does not,
# and this root's Namespace is not the one of its cluster.
resource "kubernetes_namespace_v1" "shop" {
  metadata {
    name = "shop"
    labels = {
      "pod-security.kubernetes.io/enforce" = "restricted" # want +K8S-005
    }
  }
}

resource "kubernetes_manifest" "cart" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata = {
      name      = "cart"
      namespace = "shop"
    }
    spec = {
      selector = { matchLabels = { app = "cart" } }
      template = {
        metadata = { labels = { app = "cart" } }
        spec = {
          containers = [{ name = "cart", image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/cart:2", resources = { requests = { cpu = "100m", memory = "128Mi" }, limits = { memory = "256Mi" } } }]
        }
      }
    }
  }
}
