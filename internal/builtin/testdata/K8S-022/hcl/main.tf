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
            {
              name  = "short-digest"
              image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/agent:3.0.0@sha256:4f5c0a1e" # want K8S-022
            },
            { # want +K8S-022
              name  = "pinned"
              image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/agent@sha256:4f5c0a1e9d2b7e8f3a6c1d0b9e8f7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a"
            },
          ]
        }
      }
    }
  }
}
