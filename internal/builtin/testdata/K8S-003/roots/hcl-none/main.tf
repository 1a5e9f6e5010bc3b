# The other root deploying namespace "shop", with no ResourceQuota of its own.
resource "kubernetes_manifest" "cart" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata = {
      name      = "cart"
      namespace = "shop" # want K8S-003
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
