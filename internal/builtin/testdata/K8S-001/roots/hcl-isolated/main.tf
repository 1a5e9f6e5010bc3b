# Two root modules, each deploying namespace "shop" to a cluster of its
# own (terraform-aws-eks-blueprints keeps one root per pattern). This one
# isolates it; roots/hcl-open does not, and this root's policy is not its.
resource "kubernetes_network_policy_v1" "shop_deny" {
  metadata {
    name      = "default-deny"
    namespace = "shop"
  }
  spec {
    pod_selector {}
    policy_types = ["Ingress", "Egress"]
  }
}

resource "kubernetes_manifest" "cart" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata = {
      name      = "cart"
      namespace = "shop" # want +K8S-001
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
