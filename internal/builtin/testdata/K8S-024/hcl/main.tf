variable "automount" {}
variable "service_account" {}

resource "kubernetes_service_account_v1" "ingest" {
  metadata {
    name      = "ingest"
    namespace = "data"
  }
  automount_service_account_token = false
}

# The provider's default for automount_service_account_token is true.
resource "kubernetes_service_account" "loader" {
  metadata {
    name      = "loader"
    namespace = "data"
  }
}

resource "kubernetes_manifest" "ingest" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata   = { name = "ingest", namespace = "data" }
    spec = {
      selector = { matchLabels = { app = "ingest" } }
      template = {
        metadata = { labels = { app = "ingest" } }
        spec = { # want +K8S-024
          serviceAccountName = "ingest"
          containers         = [{ name = "ingest", image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/ingest:1.0.0" }]
        }
      }
    }
  }
}

resource "kubernetes_manifest" "loader" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata   = { name = "loader", namespace = "data" }
    spec = {
      selector = { matchLabels = { app = "loader" } }
      template = {
        metadata = { labels = { app = "loader" } }
        spec = {
          serviceAccountName = "loader" # want K8S-024
          containers         = [{ name = "loader", image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/loader:1.0.0" }]
        }
      }
    }
  }
}

resource "kubernetes_manifest" "tunable" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata   = { name = "tunable", namespace = "data" }
    spec = {
      selector = { matchLabels = { app = "tunable" } }
      template = {
        metadata = { labels = { app = "tunable" } }
        spec = {
          automountServiceAccountToken = var.automount # want ?K8S-024
          containers                   = [{ name = "tunable", image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/tunable:1.0.0" }]
        }
      }
    }
  }
}

resource "kubernetes_manifest" "chosen" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata   = { name = "chosen", namespace = "data" }
    spec = {
      selector = { matchLabels = { app = "chosen" } }
      template = {
        metadata = { labels = { app = "chosen" } }
        spec = {
          serviceAccountName = var.service_account # want ?K8S-024
          containers         = [{ name = "chosen", image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/chosen:1.0.0" }]
        }
      }
    }
  }
}
