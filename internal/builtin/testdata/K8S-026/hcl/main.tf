variable "db_password" {}
variable "feature" {}
variable "var_name" {}

resource "kubernetes_manifest" "app" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "StatefulSet"
    metadata   = { name = "app", namespace = "shop" }
    spec = {
      serviceName = "app"
      selector    = { matchLabels = { app = "app" } }
      template = {
        metadata = { labels = { app = "app" } }
        spec = {
          containers = [
            {
              name  = "app"
              image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/app:1.0.0"
              env = [
                # ends up in the pod spec in plain text if it is a credential
                { name = "DB_PASSWORD", value = var.db_password }, # want ?K8S-026
              ]
            },
            {
              name  = "named"
              image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/named:1.0.0"
              env = [
                { name = var.var_name, value = "q7Wm2xPz9" }, # want ?K8S-026
              ]
            },
            { # want +K8S-026
              name  = "feature"
              image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/feature:1.0.0"
              env = [
                { name = "FEATURE_FLAGS", value = var.feature },
              ]
            },
            {
              name  = "mailer"
              image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/mailer:1.0.0"
              env = [
                { name = "SMTP_PASSWORD", value = "m4il-Secr3t" }, # want K8S-026
              ]
            },
          ]
        }
      }
    }
  }
}
