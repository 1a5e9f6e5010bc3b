# Namespaces declared with the Terraform kubernetes provider and as
# kubernetes_manifest objects.

variable "psa_level" {}
variable "namespace" {}

resource "kubernetes_namespace_v1" "shop" {
  metadata {
    name = "shop"
    labels = {
      "pod-security.kubernetes.io/enforce" = "restricted"  # want +K8S-005
      "pod-security.kubernetes.io/warn"    = "restricted"
    }
  }
}

# The level comes from a variable without a value.
resource "kubernetes_namespace" "tenants" {
  metadata {
    name = "tenants"
    labels = {
      "pod-security.kubernetes.io/enforce" = var.psa_level  # want ?K8S-005
    }
  }
}

resource "kubernetes_namespace" "tools" {
  metadata {
    name = "tools" # want K8S-005
  }
}

resource "kubernetes_manifest" "gitops" {
  manifest = {
    apiVersion = "v1"
    kind       = "Namespace"
    metadata = {
      name = "gitops"
      labels = {
        "pod-security.kubernetes.io/enforce" = "privileged"  # want K8S-005
      }
    }
  }
}

# A workload whose namespace is known only after apply.
resource "kubernetes_manifest" "floating" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata = {
      name      = "runner"
      namespace = var.namespace # want ?K8S-005
    }
    spec = {
      selector = { matchLabels = { app = "runner" } }
      template = {
        metadata = { labels = { app = "runner" } }
        spec = { containers = [{ name = "runner", image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/runner:5" }] }
      }
    }
  }
}
