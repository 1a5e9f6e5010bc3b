variable "limits_namespace" {}

resource "kubernetes_manifest" "limits" {
  manifest = {
    apiVersion = "v1"
    kind       = "LimitRange"
    metadata   = { name = "defaults", namespace = var.limits_namespace }
    spec = {
      limits = [{ type = "Container", defaultRequest = { cpu = "100m", memory = "128Mi" } }]
    }
  }
}
