variable "admin_role" {}
variable "extra_subject" {}

resource "kubernetes_cluster_role_binding_v1" "oncall" {
  metadata {
    name = "oncall-admin"
  }
  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "ClusterRole"
    name      = "cluster-admin" # want K8S-031
  }
  subject {
    kind      = "Group"
    name      = "oncall"
    api_group = "rbac.authorization.k8s.io"
  }
}

resource "kubernetes_cluster_role_binding" "chosen" {
  metadata {
    name = "platform-chosen"
  }
  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "ClusterRole"
    name      = var.admin_role # want ?K8S-031
  }
  subject {
    kind      = "Group"
    name      = "platform"
    api_group = "rbac.authorization.k8s.io"
  }
}

resource "kubernetes_role_binding_v1" "masters_only" {
  metadata {
    name      = "masters"
    namespace = "kube-system"
  }
  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "ClusterRole"
    name      = "cluster-admin"
  }
  subject { # want ?K8S-031
    kind      = "Group"
    name      = var.extra_subject
    api_group = "rbac.authorization.k8s.io"
  }
}

resource "kubernetes_manifest" "viewers" {
  manifest = {
    apiVersion = "rbac.authorization.k8s.io/v1"
    kind       = "ClusterRoleBinding"
    metadata   = { name = "viewers" }
    roleRef = {
      apiGroup = "rbac.authorization.k8s.io"
      kind     = "ClusterRole"
      name     = "view" # want +K8S-031
    }
    subjects = [{ kind = "Group", name = "everyone", apiGroup = "rbac.authorization.k8s.io" }]
  }
}
