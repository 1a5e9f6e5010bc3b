variable "sa_name" {}

# This account's name is known only after apply: it may be apps' default.
resource "kubernetes_manifest" "sa" {
  manifest = {
    apiVersion                   = "v1"
    kind                         = "ServiceAccount"
    metadata                     = { name = var.sa_name, namespace = "apps" }
    automountServiceAccountToken = false
  }
}

resource "kubernetes_manifest" "app" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata   = { name = "app", namespace = "apps" }
    spec = {
      selector = { matchLabels = { app = "app" } }
      template = {
        metadata = { labels = { app = "app" } }
        spec = { # want ?K8S-024
          containers = [{ name = "app", image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1.0.0" }]
        }
      }
    }
  }
}
