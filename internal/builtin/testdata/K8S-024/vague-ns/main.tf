variable "namespace" {}

# A default account that disables automount, in a namespace known only
# after apply: it may be the one the app below runs in.
resource "kubernetes_service_account_v1" "default" {
  metadata {
    name      = "default"
    namespace = var.namespace
  }
  automount_service_account_token = false
}
