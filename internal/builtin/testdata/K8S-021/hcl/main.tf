variable "api_resources" {}
variable "platform_limits" {}
variable "batch_namespace" {}

# The container's resources come from an input with no value.
resource "kubernetes_manifest" "api" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata   = { name = "api", namespace = "apps" }
    spec = {
      selector = { matchLabels = { app = "api" } }
      template = {
        metadata = { labels = { app = "api" } }
        spec = {
          containers = [
            {
              name      = "api"
              image     = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:1.4.2"
              resources = var.api_resources # want ?K8S-021
            },
            { # want +K8S-021
              name  = "metrics"
              image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/metrics:0.3.0"
              resources = {
                requests = { cpu = "10m", memory = "32Mi" }
                limits   = { memory = "64Mi" }
              }
            },
          ]
        }
      }
    }
  }
}

# The LimitRange's items are not knowable, so neither is whether they
# default what the worker leaves out.
resource "kubernetes_manifest" "platform_limits" {
  manifest = {
    apiVersion = "v1"
    kind       = "LimitRange"
    metadata   = { name = "defaults", namespace = "platform" }
    spec       = { limits = var.platform_limits }
  }
}

resource "kubernetes_manifest" "worker" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata   = { name = "worker", namespace = "platform" }
    spec = {
      selector = { matchLabels = { app = "worker" } }
      template = {
        metadata = { labels = { app = "worker" } }
        spec = {
          containers = [
            { # want ?K8S-021
              name  = "worker"
              image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/worker:2.2.0"
            },
          ]
        }
      }
    }
  }
}

resource "kubernetes_manifest" "known_limits" {
  manifest = {
    apiVersion = "v1"
    kind       = "LimitRange"
    metadata   = { name = "defaults", namespace = "batch" }
    spec = {
      limits = [{ type = "Container", defaultRequest = { cpu = "100m", memory = "128Mi" }, default = { memory = "256Mi" } }]
    }
  }
}

# The namespace is not knowable and a LimitRange elsewhere would supply the
# missing values: it may or may not be this job's namespace.
resource "kubernetes_manifest" "import" {
  manifest = {
    apiVersion = "batch/v1"
    kind       = "Job"
    metadata   = { name = "import", namespace = var.batch_namespace }
    spec = {
      template = {
        spec = {
          restartPolicy = "Never"
          containers = [
            { # want ?K8S-021
              name  = "import"
              image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/import:1.0.0"
            },
          ]
        }
      }
    }
  }
}
