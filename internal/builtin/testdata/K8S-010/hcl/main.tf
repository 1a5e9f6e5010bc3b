variable "privileged" {}
variable "containers" {}

resource "kubernetes_manifest" "agent" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "DaemonSet"
    metadata   = { name = "agent", namespace = "kube-system" }
    spec = {
      selector = { matchLabels = { app = "agent" } }
      template = {
        metadata = { labels = { app = "agent" } }
        spec = {
          containers = [
            {
              name            = "agent"
              image           = "public.ecr.aws/example/agent:1.2.0"
              securityContext = { privileged = var.privileged } # want ?K8S-010
            },
            {
              name            = "shipper"
              image           = "public.ecr.aws/example/shipper:1.0.0"
              securityContext = { privileged = true } # want K8S-010
            },
          ]
        }
      }
    }
  }
}

resource "kubernetes_manifest" "job" {
  manifest = {
    apiVersion = "batch/v1"
    kind       = "Job"
    metadata   = { name = "migrate", namespace = "shop" }
    spec = {
      template = {
        spec = {
          restartPolicy = "Never"
          containers    = var.containers # want ?K8S-010
        }
      }
    }
  }
}

resource "kubernetes_manifest" "statefulset" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "StatefulSet"
    metadata   = { name = "db", namespace = "shop" }
    spec = {
      serviceName = "db"
      selector    = { matchLabels = { app = "db" } }
      template = {
        metadata = { labels = { app = "db" } }
        spec = {
          containers = [{ # want +K8S-010
            name  = "db"
            image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/postgres:16.3"
          }]
        }
      }
    }
  }
}
