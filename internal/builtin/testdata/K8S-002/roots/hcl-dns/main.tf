# Two root modules, each denying egress of namespace "shop" on a cluster
# of its own (terraform-aws-eks-blueprints keeps one root per pattern).
# This one lets its pods reach kube-dns; roots/hcl-nodns does not, and
# this root's allow is applied to another cluster than its.
resource "kubernetes_network_policy_v1" "deny" {
  metadata {
    name      = "default-deny"
    namespace = "shop"
  }
  spec {
    pod_selector {}
    policy_types = ["Ingress", "Egress"]
  }
}

resource "kubernetes_network_policy_v1" "dns" {
  metadata {
    name      = "allow-dns"
    namespace = "shop"
  }
  spec {
    pod_selector {}
    policy_types = ["Egress"]
    egress {
      to {
        namespace_selector {
          match_labels = {
            "kubernetes.io/metadata.name" = "kube-system"
          }
        }
      }
      ports {
        port     = "53"
        protocol = "UDP"
      }
      ports {
        port     = "53"
        protocol = "TCP"
      }
    }
  }
}

resource "kubernetes_manifest" "cart" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata = {
      name      = "cart"
      namespace = "shop" # want +K8S-002
    }
    spec = {
      selector = { matchLabels = { app = "cart" } }
      template = {
        metadata = { labels = { app = "cart" } }
        spec     = { containers = [{ name = "cart", image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/cart:2" }] }
      }
    }
  }
}
