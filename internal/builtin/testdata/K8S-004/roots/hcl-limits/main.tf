# Two root modules, each deploying namespace "shop" to a cluster of its
# own (terraform-aws-eks-blueprints keeps one root per pattern). This one
# gives it a LimitRange; roots/hcl-none does not, and this root's LimitRange is
# applied to another cluster than its.
resource "kubernetes_limit_range_v1" "shop" {
  metadata {
    name      = "container-defaults"
    namespace = "shop"
  }
  spec {
    limit {
      type            = "Container"
      default         = { memory = "256Mi" }
      default_request = { cpu = "100m", memory = "128Mi" }
    }
  }
}

resource "kubernetes_manifest" "cart" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata = {
      name      = "cart"
      namespace = "shop" # want +K8S-004
    }
    spec = {
      selector = { matchLabels = { app = "cart" } }
      template = {
        metadata = { labels = { app = "cart" } }
        spec     = { containers = [{ name = "cart", image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/cart:2", resources = { requests = { cpu = "100m", memory = "128Mi" }, limits = { memory = "256Mi" } } }] }
      }
    }
  }
}
