variable "non_root" {}
variable "uid" {}
variable "pod_security_context" {}

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
          securityContext = { runAsNonRoot = var.non_root } # want ?K8S-018
          containers = [
            {
              name  = "inherits"
              image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/worker:1.0.0"
            },
            { # want +K8S-018
              name            = "overrides"
              image           = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/worker:1.0.0"
              securityContext = { runAsNonRoot = true }
            },
            {
              name            = "root-anyway"
              image           = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/worker:1.0.0"
              securityContext = { runAsUser = 0 } # want K8S-018
            },
          ]
        }
      }
    }
  }
}

resource "kubernetes_manifest" "api" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata   = { name = "api", namespace = "shop" }
    spec = {
      selector = { matchLabels = { app = "api" } }
      template = {
        metadata = { labels = { app = "api" } }
        spec = {
          securityContext = { runAsNonRoot = true, runAsUser = var.uid }
          containers = [
            {
              name  = "api"
              image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:3.0.0"
              securityContext = {
                runAsUser = var.uid # want ?K8S-018
              }
            },
            { # want +K8S-018
              name            = "fixed"
              image           = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:3.0.0"
              securityContext = { runAsUser = 1000 }
            },
          ]
        }
      }
    }
  }
}

resource "kubernetes_manifest" "opaque" {
  manifest = {
    apiVersion = "v1"
    kind       = "Pod"
    metadata   = { name = "opaque", namespace = "shop" }
    spec = {
      securityContext = var.pod_security_context # want ?K8S-018
      containers = [
        { # want +K8S-018
          name            = "own"
          image           = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/own:1.0.0"
          securityContext = { runAsNonRoot = true, runAsUser = 1000 }
        },
        {
          name            = "inherits"
          image           = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/own:1.0.0"
          securityContext = { runAsNonRoot = true }
        },
      ]
    }
  }
}

# The UID in force decides when one is set, whatever runAsNonRoot is.
resource "kubernetes_manifest" "uid" {
  manifest = {
    apiVersion = "v1"
    kind       = "Pod"
    metadata   = { name = "uid", namespace = "shop" }
    spec = {
      securityContext = { runAsUser = 1000 }
      containers = [
        { # want +K8S-018
          name  = "inherits"
          image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/uid:1.0.0"
        },
        { # want +K8S-018
          name            = "unknown-non-root"
          image           = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/uid:1.0.0"
          securityContext = { runAsNonRoot = var.non_root }
        },
        {
          name            = "unknown-uid"
          image           = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/uid:1.0.0"
          securityContext = { runAsNonRoot = false, runAsUser = var.uid } # want ?K8S-018
        },
        {
          name            = "root"
          image           = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/uid:1.0.0"
          securityContext = { runAsNonRoot = var.non_root, runAsUser = 0 } # want K8S-018
        },
      ]
    }
  }
}
