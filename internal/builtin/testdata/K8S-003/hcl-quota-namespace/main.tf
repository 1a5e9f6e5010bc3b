# A quota whose namespace is known only after apply may be the one of
# "growth", which would fail otherwise: unknown.

variable "quota_namespace" {}

resource "kubernetes_namespace" "growth" {
  metadata {
    name = "growth" # want ?K8S-003
  }
}

resource "kubernetes_resource_quota" "maybe_growth" {
  metadata {
    name      = "compute"
    namespace = var.quota_namespace
  }
  spec {
    hard = { pods = 10 }
  }
}

resource "kubernetes_manifest" "experiments" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata   = { name = "experiments", namespace = "growth" }
    spec = {
      selector = { matchLabels = { app = "experiments" } }
      template = {
        metadata = { labels = { app = "experiments" } }
        spec = { containers = [{ name = "experiments", image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/experiments:2" }] }
      }
    }
  }
}
