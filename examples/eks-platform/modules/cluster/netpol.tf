resource "kubernetes_network_policy_v1" "default_deny" {
  metadata {
    name      = "default-deny"
    namespace = "apps"
  }
  spec {
    pod_selector {}
    policy_types = ["Ingress", "Egress"]
  }
}
