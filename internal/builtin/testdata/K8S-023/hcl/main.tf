variable "registry" {}

resource "kubernetes_manifest" "worker" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "StatefulSet"
    metadata   = { name = "worker", namespace = "shop" }
    spec = {
      serviceName = "worker"
      selector    = { matchLabels = { app = "worker" } }
      template = {
        metadata = { labels = { app = "worker" } }
        spec = {
          containers = [
            {
              name  = "worker"
              image = "${var.registry}/shop/worker:1.2.0" # want ?K8S-023
            },
            { # want +K8S-023
              name  = "sidecar"
              image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/sidecar:0.9.1"
            },
            {
              name  = "exporter"
              image = "prom/statsd-exporter:v0.26.1" # want K8S-023
            },
          ]
        }
      }
    }
  }
}
