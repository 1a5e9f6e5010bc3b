resource "aws_launch_template" "v1" {
  name = "v1"
  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "optional" # want NODE-001
  }
}

resource "aws_launch_template" "v2" {
  name = "v2"
  metadata_options {
    http_tokens = "required" # want +NODE-001
  }
}

resource "aws_instance" "bastion" { # want NODE-001
  instance_type = "t3.micro"
}

resource "aws_launch_configuration" "off" {
  metadata_options {
    http_endpoint = "disabled" # want +NODE-001
  }
}

module "nodes" {
  source = "./modules/nodes"
}

resource "aws_eks_node_group" "bare" { # want ?NODE-001
  node_group_name = "bare"
}

resource "kubernetes_manifest" "nodeclass" {
  manifest = {
    apiVersion = "karpenter.k8s.aws/v1"
    kind       = "EC2NodeClass"
    metadata   = { name = "default" }
    spec = {
      amiSelectorTerms = [{ alias = "al2023@latest" }]
      metadataOptions  = { httpTokens = "optional" } # want NODE-001
    }
  }
}

resource "kubernetes_manifest" "nodeclass_default" {
  manifest = {
    apiVersion = "karpenter.k8s.aws/v1"
    kind       = "EC2NodeClass"
    metadata   = { name = "secure" }
    spec = { # want +NODE-001
      amiSelectorTerms = [{ alias = "bottlerocket@latest" }]
    }
  }
}
