# Namespaces and policies written with the Terraform kubernetes provider.

variable "policy_types" {}
variable "app_namespace" {}

resource "kubernetes_namespace" "ledger" {
  metadata {
    name = "ledger" # want +K8S-001
  }
}

# The provider's own resource, in snake_case blocks: pod_selector {} picks
# every pod, no ingress/egress blocks means no rules.
resource "kubernetes_network_policy_v1" "ledger_deny" {
  metadata {
    name      = "default-deny"
    namespace = kubernetes_namespace.ledger.metadata[0].name
  }
  spec {
    pod_selector {}
    policy_types = ["Ingress", "Egress"]
  }
}

resource "kubernetes_namespace_v1" "billing" {
  metadata {
    name = "billing" # want K8S-001
  }
}

# An empty ingress block is a rule admitting everything.
resource "kubernetes_network_policy" "billing_deny" {
  metadata {
    name      = "default-deny"
    namespace = "billing"
  }
  spec {
    pod_selector {
      match_labels = {}
    }
    policy_types = ["Ingress", "Egress"]
    ingress {}
  }
}

resource "kubernetes_namespace" "audit" {
  metadata {
    name = "audit" # want ?K8S-001
  }
}

# Which directions the policy covers comes from a variable without a value.
resource "kubernetes_manifest" "audit_deny" {
  manifest = {
    apiVersion = "networking.k8s.io/v1"
    kind       = "NetworkPolicy"
    metadata = {
      name      = "default-deny"
      namespace = "audit"
    }
    spec = {
      podSelector = {}
      policyTypes = var.policy_types
    }
  }
}

resource "kubernetes_manifest" "ledger_app" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata   = { name = "ledger", namespace = "ledger" }
    spec = {
      selector = { matchLabels = { app = "ledger" } }
      template = {
        metadata = { labels = { app = "ledger" } }
        spec = { containers = [{ name = "ledger", image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/ledger:7" }] }
      }
    }
  }
}

resource "kubernetes_manifest" "billing_app" {
  manifest = {
    apiVersion = "batch/v1"
    kind       = "Job"
    metadata   = { name = "invoice-run", namespace = "billing" }
    spec = {
      template = {
        spec = {
          restartPolicy = "Never"
          containers    = [{ name = "invoices", image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/invoices:3" }]
        }
      }
    }
  }
}

resource "kubernetes_manifest" "audit_app" {
  manifest = {
    apiVersion = "v1"
    kind       = "Pod"
    metadata   = { name = "collector", namespace = "audit" }
    spec       = { containers = [{ name = "collector", image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/collector:1" }] }
  }
}

# A workload whose namespace is known only after apply.
resource "kubernetes_manifest" "floating" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "StatefulSet"
    metadata = {
      name      = "cache"
      namespace = var.app_namespace # want ?K8S-001
    }
    spec = {
      selector = { matchLabels = { app = "cache" } }
      template = {
        metadata = { labels = { app = "cache" } }
        spec = { containers = [{ name = "cache", image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/cache:7" }] }
      }
    }
  }
}
