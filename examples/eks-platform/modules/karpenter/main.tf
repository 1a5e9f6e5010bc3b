resource "kubernetes_manifest" "default_nodeclass" {
  manifest = {
    apiVersion = "karpenter.k8s.aws/v1"
    kind       = "EC2NodeClass"
    metadata   = { name = "default" }
    spec = {
      role             = "KarpenterNodeRole-${var.cluster_name}"
      amiSelectorTerms = [{ alias = "al2023@latest" }]
      metadataOptions = {
        httpTokens              = "required"
        httpPutResponseHopLimit = 2
      }
      blockDeviceMappings = [{
        deviceName = "/dev/xvda"
        ebs        = { volumeSize = "100Gi", encrypted = true }
      }]
    }
  }
}
