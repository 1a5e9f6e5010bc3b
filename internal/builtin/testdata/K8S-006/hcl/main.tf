variable "namespace" {}

resource "kubernetes_manifest" "worker" {
  manifest = {
    apiVersion = "batch/v1"
    kind       = "Job"
    metadata = {
      name      = "worker"
      namespace = var.namespace # want ?K8S-006
    }
    spec = { template = { spec = {
      restartPolicy = "Never"
      containers    = [{ name = "worker", image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/worker:1" }]
    } } }
  }
}

resource "kubernetes_manifest" "shell" {
  manifest = {
    apiVersion = "v1"
    kind       = "Pod"
    metadata = { # want K8S-006
      name = "shell"
    }
    spec = { containers = [{ name = "shell", image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/shell:1" }] }
  }
}

resource "kubernetes_manifest" "api" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "ReplicaSet"
    metadata = {
      name      = "api"
      namespace = "orders" # want +K8S-006
    }
    spec = {
      selector = { matchLabels = { app = "api" } }
      template = {
        metadata = { labels = { app = "api" } }
        spec = { containers = [{ name = "api", image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:1" }] }
      }
    }
  }
}
