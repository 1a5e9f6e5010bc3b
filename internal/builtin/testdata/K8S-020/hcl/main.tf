variable "read_only" {}

resource "kubernetes_manifest" "web" {
  manifest = {
    apiVersion = "v1"
    kind       = "Pod"
    metadata   = { name = "web", namespace = "shop" }
    spec = {
      containers = [
        {
          name            = "web"
          image           = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:2.0.1"
          securityContext = { readOnlyRootFilesystem = var.read_only } # want ?K8S-020
        },
        { # want +K8S-020
          name            = "static"
          image           = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/static:2.0.1"
          securityContext = { readOnlyRootFilesystem = true }
        },
      ]
    }
  }
}
