# A default deny whose namespace is known only after apply may be the one
# of "orders": the namespace, failing otherwise, becomes unknown.

variable "policy_namespace" {}

resource "kubernetes_network_policy" "deny" {
  metadata {
    name      = "default-deny"
    namespace = var.policy_namespace
  }
  spec {
    pod_selector {}
    policy_types = ["Ingress", "Egress"]
  }
}

resource "kubernetes_manifest" "orders" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata = {
      name      = "orders"
      namespace = "orders" # want ?K8S-001
    }
    spec = {
      selector = { matchLabels = { app = "orders" } }
      template = {
        metadata = { labels = { app = "orders" } }
        spec = { containers = [{ name = "orders", image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/orders:4" }] }
      }
    }
  }
}
