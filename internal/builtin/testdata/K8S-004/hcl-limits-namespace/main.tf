# A LimitRange whose namespace is known only after apply may belong to
# "billing", which would fail otherwise: unknown.

variable "limits_namespace" {}

resource "kubernetes_limit_range_v1" "maybe_billing" {
  metadata {
    name      = "container-defaults"
    namespace = var.limits_namespace
  }
  spec {
    limit {
      type = "Container"
      max  = { cpu = "2" }
    }
  }
}

resource "kubernetes_manifest" "invoices" {
  manifest = {
    apiVersion = "batch/v1"
    kind       = "Job"
    metadata = {
      name      = "invoices"
      namespace = "billing" # want ?K8S-004
    }
    spec = { template = { spec = {
      restartPolicy = "Never"
      containers    = [{ name = "invoices", image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/invoices:1" }]
    } } }
  }
}
