variable "extra_env" {}
variable "env_sources" {}
variable "password_source" {}

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
              name  = "app"
              image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/app:1.0.0"
              env   = var.extra_env # want ?K8S-025
            },
            {
              name    = "sidecar"
              image   = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/sidecar:1.0.0"
              envFrom = var.env_sources # want ?K8S-025
            },
            {
              name  = "db-client"
              image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/db-client:1.0.0"
              env = [
                { name = "DB_HOST", value = "db.shop.svc" },
                { name = "DB_PASSWORD", valueFrom = var.password_source }, # want ?K8S-025
              ]
            },
            {
              name  = "reporter"
              image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/reporter:1.0.0"
              env = [
                {
                  name = "SMTP_PASSWORD"
                  valueFrom = {
                    secretKeyRef = { name = "smtp", key = "password" } # want K8S-025
                  }
                },
              ]
            },
            { # want +K8S-025
              name  = "plain"
              image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/plain:1.0.0"
              env   = [{ name = "MODE", value = "batch" }]
            },
          ]
        }
      }
    }
  }
}
