# The other root deploying namespace "shop", with no LimitRange of its own.
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
            { # want K8S-021
              name  = "cart"
              image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/cart:2"
            }
          ]
        }
      }
    }
  }
}
