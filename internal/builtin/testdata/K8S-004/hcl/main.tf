# Limit ranges written with the Terraform kubernetes provider: each entry
# is a spec.limit block.

variable "limits" {}
variable "namespace" {}

resource "kubernetes_namespace" "docs" {
  metadata {
    name = "docs" # want +K8S-004
  }
}

resource "kubernetes_limit_range" "docs" {
  metadata {
    name      = "container-defaults"
    namespace = kubernetes_namespace.docs.metadata[0].name
  }
  spec {
    limit {
      type = "Container"
      default = {
        cpu    = "500m"
        memory = "512Mi"
      }
      default_request = {
        cpu    = "100m"
        memory = "128Mi"
      }
    }
  }
}

resource "kubernetes_namespace" "wiki" {
  metadata {
    name = "wiki" # want ?K8S-004
  }
}

# Its entries come from a variable without a value.
resource "kubernetes_manifest" "wiki_limits" {
  manifest = {
    apiVersion = "v1"
    kind       = "LimitRange"
    metadata   = { name = "container-defaults", namespace = "wiki" }
    spec       = { limits = var.limits }
  }
}

resource "kubernetes_manifest" "docs_site" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata   = { name = "site", namespace = "docs" }
    spec = {
      selector = { matchLabels = { app = "site" } }
      template = {
        metadata = { labels = { app = "site" } }
        spec = { containers = [{ name = "site", image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/site:9" }] }
      }
    }
  }
}

resource "kubernetes_manifest" "wiki_app" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "StatefulSet"
    metadata   = { name = "wiki", namespace = "wiki" }
    spec = {
      serviceName = "wiki"
      selector    = { matchLabels = { app = "wiki" } }
      template = {
        metadata = { labels = { app = "wiki" } }
        spec = { containers = [{ name = "wiki", image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/wiki:2" }] }
      }
    }
  }
}

resource "kubernetes_manifest" "floating" {
  manifest = {
    apiVersion = "v1"
    kind       = "Pod"
    metadata = {
      name      = "probe"
      namespace = var.namespace # want ?K8S-004
    }
    spec = { containers = [{ name = "probe", image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/probe:1" }] }
  }
}
