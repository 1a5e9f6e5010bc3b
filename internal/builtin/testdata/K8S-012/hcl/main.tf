variable "host_port" {}
variable "ports" {}

resource "kubernetes_manifest" "proxy" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata   = { name = "proxy", namespace = "edge" }
    spec = {
      selector = { matchLabels = { app = "proxy" } }
      template = {
        metadata = { labels = { app = "proxy" } }
        spec = {
          containers = [
            {
              name  = "proxy"
              image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/proxy:3.1.0"
              ports = [{ containerPort = 8080, hostPort = var.host_port }] # want ?K8S-012
            },
            {
              name  = "admin"
              image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/admin:1.0.0"
              ports = var.ports # want ?K8S-012
            },
            {
              name  = "stats"
              image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/stats:1.0.0"
              ports = [{ containerPort = 9000, hostPort = 9000 }] # want K8S-012
            },
          ]
        }
      }
    }
  }
}
