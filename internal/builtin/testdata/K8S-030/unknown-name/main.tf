variable "admin_role_arn" {}
variable "auth_namespace" {}

# yamlencode of a value known only after apply: the mappings are unknown.
resource "kubernetes_config_map" "aws_auth" {
  metadata {
    name      = "aws-auth"
    namespace = "kube-system"
  }
  data = {
    mapRoles = yamlencode([{ # want ?K8S-030
      rolearn  = var.admin_role_arn
      username = "admin"
      groups   = ["system:masters"]
    }])
  }
}

# A ConfigMap with mappings whose namespace is not known: it may be aws-auth.
resource "kubernetes_config_map_v1" "maybe_auth" {
  metadata {
    name      = "aws-auth"
    namespace = var.auth_namespace # want ?K8S-030
  }
  data = {
    mapUsers = "[]"
  }
}

# Not aws-auth: the provider's default namespace.
resource "kubernetes_config_map_v1" "other" {
  metadata {
    name = "aws-auth"
  }
  data = {
    mapRoles = "- rolearn: arn:aws:iam::111122223333:role/x\n  groups: [system:masters]\n"
  }
}
