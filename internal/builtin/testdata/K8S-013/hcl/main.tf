variable "volumes" {}
variable "host_path" {}
variable "data_volume" {}

resource "kubernetes_manifest" "cache" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "StatefulSet"
    metadata   = { name = "cache", namespace = "shop" }
    spec = {
      serviceName = "cache"
      selector    = { matchLabels = { app = "cache" } }
      template = {
        metadata = { labels = { app = "cache" } }
        spec = {
          containers = [{ name = "cache", image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/redis:7.2" }]
          volumes    = var.volumes # want ?K8S-013
        }
      }
    }
  }
}

resource "kubernetes_manifest" "scratch" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata   = { name = "scratch", namespace = "shop" }
    spec = {
      selector = { matchLabels = { app = "scratch" } }
      template = {
        metadata = { labels = { app = "scratch" } }
        spec = {
          containers = [{ name = "worker", image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/worker:1.0.0" }]
          volumes = [
            { name = "tmp", emptyDir = {} },
            var.data_volume, # want ?K8S-013
          ]
        }
      }
    }
  }
}

# Whatever its path, a hostPath volume is one.
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
          containers = [{ name = "agent", image = "public.ecr.aws/example/agent:1.2.0" }]
          volumes = [{
            name     = "host"
            hostPath = { path = var.host_path } # want K8S-013
          }]
        }
      }
    }
  }
}
