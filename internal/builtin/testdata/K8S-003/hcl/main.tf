# Quotas written with the Terraform kubernetes provider.

variable "quota_hard" {}
variable "namespace" {}

# No namespace in metadata: the provider puts it in "default".
resource "kubernetes_resource_quota" "default" {
  metadata {
    name = "compute"
  }
  spec {
    hard = {
      pods            = 20
      "requests.cpu"  = "2"
      "limits.memory" = "8Gi"
    }
  }
}

resource "kubernetes_manifest" "hello" {
  manifest = {
    apiVersion = "v1"
    kind       = "Pod"
    metadata = { # want +K8S-003
      name = "hello"
    }
    spec = { containers = [{ name = "hello", image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/hello:1" }] }
  }
}

resource "kubernetes_namespace_v1" "analytics" {
  metadata {
    name = "analytics" # want ?K8S-003
  }
}

# The limits come from a variable without a value.
resource "kubernetes_resource_quota_v1" "analytics" {
  metadata {
    name      = "compute"
    namespace = kubernetes_namespace_v1.analytics.metadata[0].name
  }
  spec {
    hard = var.quota_hard
  }
}

resource "kubernetes_manifest" "notebook" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata   = { name = "notebook", namespace = "analytics" }
    spec = {
      selector = { matchLabels = { app = "notebook" } }
      template = {
        metadata = { labels = { app = "notebook" } }
        spec = { containers = [{ name = "notebook", image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/notebook:3" }] }
      }
    }
  }
}

# A workload whose namespace is known only after apply.
resource "kubernetes_manifest" "floating" {
  manifest = {
    apiVersion = "batch/v1"
    kind       = "Job"
    metadata = {
      name      = "backfill"
      namespace = var.namespace # want ?K8S-003
    }
    spec = { template = { spec = {
      restartPolicy = "Never"
      containers    = [{ name = "backfill", image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/backfill:1" }]
    } } }
  }
}
