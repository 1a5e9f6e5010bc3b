variable "escalation" {}
variable "security_context" {}
variable "extra_caps" {}

resource "kubernetes_manifest" "worker" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata   = { name = "worker", namespace = "jobs" }
    spec = {
      selector = { matchLabels = { app = "worker" } }
      template = {
        metadata = { labels = { app = "worker" } }
        spec = {
          containers = [
            {
              name            = "worker"
              image           = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/worker:1.0.0"
              securityContext = { allowPrivilegeEscalation = var.escalation } # want ?K8S-015
            },
            {
              name            = "helper"
              image           = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/helper:1.0.0"
              securityContext = var.security_context # want ?K8S-015
            },
            {
              name  = "caps"
              image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/caps:1.0.0"
              securityContext = {
                allowPrivilegeEscalation = false
                capabilities             = { add = var.extra_caps } # want ?K8S-015
              }
            },
            {
              name  = "known"
              image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/known:1.0.0"
              securityContext = {
                allowPrivilegeEscalation = var.escalation
                privileged               = true # want K8S-015
              }
            },
          ]
        }
      }
    }
  }
}
