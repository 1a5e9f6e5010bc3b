variable "socket_path" {}
variable "pod_spec" {}

resource "kubernetes_manifest" "builder" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata   = { name = "builder", namespace = "ci" }
    spec = {
      selector = { matchLabels = { app = "builder" } }
      template = {
        metadata = { labels = { app = "builder" } }
        spec = {
          containers = [{
            name         = "builder"
            image        = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/builder:1.0.0"
            volumeMounts = [{ name = "sock", mountPath = "/var/run/docker.sock" }]
          }]
          volumes = [
            { name = "sock", hostPath = { path = var.socket_path } }, # want ?K8S-014
          ]
        }
      }
    }
  }
}

resource "kubernetes_manifest" "crio" {
  manifest = {
    apiVersion = "v1"
    kind       = "Pod"
    metadata   = { name = "crio", namespace = "ci" }
    spec = {
      containers = [{ name = "c", image = "public.ecr.aws/example/crictl:1.30.0" }]
      volumes = [
        { name = "other", hostPath = { path = var.socket_path } },
        { name = "crio", hostPath = { path = "/var/run/crio/crio.sock" } }, # want K8S-014
      ]
    }
  }
}

resource "kubernetes_manifest" "opaque" {
  manifest = {
    apiVersion = "v1"
    kind       = "Pod"
    metadata   = { name = "opaque", namespace = "ci" }
    spec       = var.pod_spec # want ?K8S-014
  }
}
