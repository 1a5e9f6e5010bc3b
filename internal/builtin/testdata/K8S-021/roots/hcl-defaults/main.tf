# Two root modules, each deploying namespace "shop" to a cluster of its
# own (terraform-aws-eks-blueprints keeps one root per pattern). This one
# gives it container defaults; roots/hcl-none does not, and this root's
# LimitRange is applied to another cluster than its.
resource "kubernetes_manifest" "defaults" {
  manifest = {
    apiVersion = "v1"
    kind       = "LimitRange"
    metadata   = { name = "container-defaults", namespace = "shop" }
    spec = {
      limits = [{
        type           = "Container"
        default        = { memory = "256Mi" }
        defaultRequest = { cpu = "100m", memory = "128Mi" }
      }]
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
          containers = [
            { # want +K8S-021
              name  = "cart"
              image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/cart:2"
            }
          ]
        }
      }
    }
  }
}
