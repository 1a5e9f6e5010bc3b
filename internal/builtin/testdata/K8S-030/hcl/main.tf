resource "kubernetes_config_map_v1_data" "aws_auth" {
  metadata {
    name      = "aws-auth"
    namespace = "kube-system"
  }
  force = true

  data = {
    mapRoles = <<-EOT
      - rolearn: arn:aws:iam::111122223333:role/eks-node-group
        username: system:node:{{EC2PrivateDNSName}}
        groups:
          - system:bootstrappers
          - system:nodes
    EOT
    mapUsers = "- userarn: arn:aws:iam::111122223333:user/ops\n  username: ops\n  groups:\n    - system:masters\n" # want K8S-030
  }
}
