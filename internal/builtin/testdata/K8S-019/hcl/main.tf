variable "seccomp_type" {}
variable "annotations" {}

resource "kubernetes_manifest" "worker" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata   = { name = "worker", namespace = "jobs" }
    spec = {
      selector = { matchLabels = { app = "worker" } }
      template = {
        metadata = { labels = { app = "worker" } }
        spec = {
          securityContext = { seccompProfile = { type = var.seccomp_type } } # want ?K8S-019
          containers = [
            {
              name  = "inherits"
              image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/worker:1.0.0"
            },
            { # want +K8S-019
              name            = "own"
              image           = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/worker:1.0.0"
              securityContext = { seccompProfile = { type = "RuntimeDefault" } }
            },
          ]
        }
      }
    }
  }
}

resource "kubernetes_manifest" "legacy" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata   = { name = "legacy", namespace = "jobs" }
    spec = {
      selector = { matchLabels = { app = "legacy" } }
      template = {
        metadata = {
          labels      = { app = "legacy" }
          annotations = var.annotations # want ?K8S-019
        }
        spec = {
          containers = [
            {
              name            = "app"
              image           = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/legacy:1.0.0"
              securityContext = { seccompProfile = { type = "Unconfined" } } # want K8S-019
            },
            {
              name  = "bare"
              image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/legacy:1.0.0"
            },
          ]
        }
      }
    }
  }
}
