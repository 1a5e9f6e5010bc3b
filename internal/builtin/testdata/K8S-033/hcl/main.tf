variable "rbac_verbs" {
  type = list(string)
}

resource "kubernetes_cluster_role_v1" "delegated" {
  metadata {
    name = "delegated-admin"
  }
  rule { # want ?K8S-033
    api_groups = ["rbac.authorization.k8s.io"]
    resources  = ["clusterroles"]
    verbs      = var.rbac_verbs
  }
}

resource "kubernetes_role_v1" "sa_impersonation" {
  metadata {
    name      = "ci-impersonation"
    namespace = "ci"
  }
  rule {
    api_groups = [""]
    resources  = ["serviceaccounts"]
    verbs      = ["impersonate"] # want K8S-033
  }
}

resource "kubernetes_role_v1" "reader" {
  metadata {
    name      = "reader"
    namespace = "ci"
  }
  rule { # want +K8S-033
    api_groups = [""]
    resources  = ["pods"]
    verbs      = ["get", "list"]
  }
}

variable "bindable_roles" {
  type = list(string)
}

resource "kubernetes_cluster_role_v1" "binder" {
  metadata {
    name = "binder"
  }
  rule { # want ?K8S-033
    api_groups     = ["rbac.authorization.k8s.io"]
    resources      = ["clusterroles"]
    verbs          = ["bind"]
    resource_names = var.bindable_roles
  }
}
