variable "extra_verbs" {}

resource "kubernetes_role_v1" "ci" {
  metadata {
    name      = "ci"
    namespace = "ci"
  }
  rule {
    api_groups = [""]
    resources  = ["pods", "pods/log"]
    verbs      = ["get", "list"]
  }
  rule {
    api_groups = ["batch"]
    resources  = ["*"] # want K8S-032
    verbs      = ["create"]
  }
}

resource "kubernetes_cluster_role_v1" "reader" {
  metadata {
    name = "reader"
  }
  rule {
    api_groups = [""]
    resources  = ["namespaces"]
    verbs      = concat(["get"], var.extra_verbs) # want ?K8S-032
  }
}

resource "kubernetes_cluster_role" "viewer" {
  metadata {
    name = "viewer"
  }
  rule { # want +K8S-032
    api_groups = [""]
    resources  = ["services", "endpoints"]
    verbs      = ["get", "list", "watch"]
  }
}
