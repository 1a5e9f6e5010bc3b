variable "host_network" {}
variable "pod_spec" {}

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
          hostNetwork = var.host_network # want ?K8S-011
          hostPID     = false
          containers  = [{ name = "proxy", image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/proxy:3.1.0" }]
        }
      }
    }
  }
}

# An unknown value does not hide a known violation next to it.
resource "kubernetes_manifest" "tracer" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "DaemonSet"
    metadata   = { name = "tracer", namespace = "kube-system" }
    spec = {
      selector = { matchLabels = { app = "tracer" } }
      template = {
        metadata = { labels = { app = "tracer" } }
        spec = {
          hostNetwork = var.host_network
          hostPID     = true # want K8S-011
          containers  = [{ name = "tracer", image = "public.ecr.aws/example/tracer:0.3.0" }]
        }
      }
    }
  }
}

resource "kubernetes_manifest" "pod" {
  manifest = {
    apiVersion = "v1"
    kind       = "Pod"
    metadata   = { name = "opaque", namespace = "shop" }
    spec       = var.pod_spec # want ?K8S-011
  }
}
