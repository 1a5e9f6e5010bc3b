# Two root modules, each deploying namespace "shop" to a cluster of its
# own (terraform-aws-eks-blueprints keeps one root per pattern). This one
# gives it a ResourceQuota; roots/hcl-none does not, and this root's ResourceQuota is
# applied to another cluster than its.
resource "kubernetes_resource_quota_v1" "shop" {
  metadata {
    name      = "compute"
    namespace = "shop"
  }
  spec {
    hard = {
      pods            = 20
      "requests.cpu"  = "4"
      "limits.memory" = "16Gi"
    }
  }
}

resource "kubernetes_manifest" "cart" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata = {
      name      = "cart"
      namespace = "shop" # want +K8S-003
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
