variable "drop" {}
variable "privileged" {}

resource "kubernetes_manifest" "job" {
  manifest = {
    apiVersion = "batch/v1"
    kind       = "Job"
    metadata   = { name = "report", namespace = "jobs" }
    spec = {
      template = {
        spec = {
          restartPolicy = "Never"
          containers = [
            {
              name            = "report"
              image           = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/report:2.2.0"
              securityContext = { capabilities = { drop = var.drop } } # want ?K8S-017
            },
            {
              name            = "upload"
              image           = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/upload:1.0.0"
              securityContext = { capabilities = { drop = ["NET_RAW", var.drop] } } # want ?K8S-017
            },
            { # want +K8S-017
              name            = "notify"
              image           = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/notify:1.0.0"
              securityContext = { capabilities = { drop = [var.drop, "ALL"] } }
            },
            {
              name  = "maybe-privileged"
              image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/mp:1.0.0"
              securityContext = {
                privileged   = var.privileged # want ?K8S-017
                capabilities = { drop = ["ALL"] }
              }
            },
          ]
        }
      }
    }
  }
}
