variable "secret_names" {
  type = list(string)
}
variable "groups" {
  type = list(string)
}

resource "kubernetes_role_v1" "named" {
  metadata {
    name      = "named-secrets"
    namespace = "payments"
  }
  rule {
    api_groups     = [""]
    resources      = ["secrets"]
    verbs          = ["get"]
    resource_names = var.secret_names # want ?K8S-034
  }
}

resource "kubernetes_cluster_role_v1" "groups" {
  metadata {
    name = "group-reader"
  }
  rule { # want ?K8S-034
    api_groups = var.groups
    resources  = ["secrets"]
    verbs      = ["watch"]
  }
}

resource "kubernetes_cluster_role_v1" "external_secrets" {
  metadata {
    name = "external-secrets-controller"
  }
  rule {
    api_groups = [""]
    resources  = ["secrets"] # want K8S-034
    verbs      = ["get", "list", "watch", "create", "update"]
  }
}

resource "kubernetes_role" "viewer" {
  metadata {
    name      = "viewer"
    namespace = "payments"
  }
  rule { # want +K8S-034
    api_groups = [""]
    resources  = ["configmaps"]
    verbs      = ["get"]
  }
}
