variable "caps" {}
variable "one_cap" {}

resource "kubernetes_manifest" "app" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata   = { name = "app", namespace = "shop" }
    spec = {
      selector = { matchLabels = { app = "app" } }
      template = {
        metadata = { labels = { app = "app" } }
        spec = {
          containers = [
            {
              name            = "app"
              image           = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1.4.2"
              securityContext = { capabilities = { add = var.caps } } # want ?K8S-016
            },
            {
              name            = "web"
              image           = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:2.0.1"
              securityContext = { capabilities = { add = ["NET_BIND_SERVICE", var.one_cap] } } # want ?K8S-016
            },
            {
              name            = "tcpdump"
              image           = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/tcpdump:4.99"
              securityContext = { capabilities = { add = [var.one_cap, "NET_ADMIN"] } } # want K8S-016
            },
          ]
        }
      }
    }
  }
}
