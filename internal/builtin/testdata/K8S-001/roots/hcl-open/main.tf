# The other root deploying namespace "shop": no policy of its own, so its
# namespace is open whatever roots/hcl-isolated deploys to its cluster.
# Namespace "storefront" is isolated by a policy outside every root module
# (../storefront.yaml), which may be applied to any cluster.
resource "kubernetes_manifest" "cart" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata = {
      name      = "cart"
      namespace = "shop" # want K8S-001
    }
    spec = {
      selector = { matchLabels = { app = "cart" } }
      template = {
        metadata = { labels = { app = "cart" } }
        spec     = { containers = [{ name = "cart", image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/cart:2" }] }
      }
    }
  }
}

resource "kubernetes_manifest" "front" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata = {
      name      = "front"
      namespace = "storefront" # want +K8S-001
    }
    spec = {
      selector = { matchLabels = { app = "front" } }
      template = {
        metadata = { labels = { app = "front" } }
        spec     = { containers = [{ name = "front", image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/front:5" }] }
      }
    }
  }
}
