variable "image" {}
variable "image_tag" {}

resource "kubernetes_manifest" "api" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata   = { name = "api", namespace = "shop" }
    spec = {
      selector = { matchLabels = { app = "api" } }
      template = {
        metadata = { labels = { app = "api" } }
        spec = {
          containers = [
            {
              name  = "api"
              image = var.image # want ?K8S-022
            },
            {
              name  = "sidecar"
              image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/sidecar:${var.image_tag}" # want ?K8S-022
            },
            { # want +K8S-022
              name  = "agent"
              image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/agent:3.0.0"
            },
            {
              name  = "legacy"
              image = "redis:latest" # want K8S-022
            },
          ]
        }
      }
    }
  }
}
