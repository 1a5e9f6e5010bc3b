# Terraform kubernetes provider network policies (snake_case blocks).

variable "dns_port" {}

resource "kubernetes_namespace_v1" "ml" {
  metadata {
    name = "ml" # want +K8S-002
  }
}

resource "kubernetes_network_policy_v1" "ml_deny" {
  metadata {
    name      = "default-deny"
    namespace = "ml"
  }
  spec {
    pod_selector {}
    policy_types = ["Ingress", "Egress"]
  }
}

# Port "53" without protocol is TCP; the provider writes ports as strings.
resource "kubernetes_network_policy_v1" "ml_dns" {
  metadata {
    name      = "allow-dns"
    namespace = "ml"
  }
  spec {
    pod_selector {}
    policy_types = ["Egress"]
    egress {
      to {
        namespace_selector {
          match_labels = {
            "kubernetes.io/metadata.name" = "kube-system"
          }
        }
        pod_selector {
          match_expressions {
            key      = "k8s-app"
            operator = "In"
            values   = ["kube-dns"]
          }
        }
      }
      ports {
        port     = "53"
        protocol = "UDP"
      }
      ports {
        port = "53"
      }
    }
  }
}

resource "kubernetes_namespace_v1" "etl" {
  metadata {
    name = "etl" # want ?K8S-002
  }
}

resource "kubernetes_network_policy" "etl_deny" {
  metadata {
    name      = "default-deny"
    namespace = "etl"
  }
  spec {
    pod_selector {}
    policy_types = ["Ingress", "Egress"]
  }
}

# The port comes from a variable without a value.
resource "kubernetes_network_policy" "etl_dns" {
  metadata {
    name      = "allow-dns"
    namespace = "etl"
  }
  spec {
    pod_selector {}
    policy_types = ["Egress"]
    egress {
      ports {
        port     = var.dns_port
        protocol = "UDP"
      }
      ports {
        port     = var.dns_port
        protocol = "TCP"
      }
    }
  }
}

resource "kubernetes_namespace_v1" "bi" {
  metadata {
    name = "bi" # want K8S-002
  }
}

resource "kubernetes_network_policy" "bi_deny" {
  metadata {
    name      = "default-deny"
    namespace = "bi"
  }
  spec {
    pod_selector {}
    policy_types = ["Ingress", "Egress"]
  }
}

# DNS to the kube-dns Service IP as an ipBlock does not reach the pods.
resource "kubernetes_network_policy" "bi_dns" {
  metadata {
    name      = "allow-dns"
    namespace = "bi"
  }
  spec {
    pod_selector {}
    policy_types = ["Egress"]
    egress {
      to {
        ip_block {
          cidr = "172.20.0.10/32"
        }
      }
      ports {
        port     = "53"
        protocol = "UDP"
      }
    }
  }
}

resource "kubernetes_manifest" "ml_app" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata   = { name = "trainer", namespace = "ml" }
    spec = {
      selector = { matchLabels = { app = "trainer" } }
      template = {
        metadata = { labels = { app = "trainer" } }
        spec = { containers = [{ name = "trainer", image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/trainer:2" }] }
      }
    }
  }
}

resource "kubernetes_manifest" "etl_app" {
  manifest = {
    apiVersion = "batch/v1"
    kind       = "CronJob"
    metadata   = { name = "nightly", namespace = "etl" }
    spec = {
      schedule = "0 1 * * *"
      jobTemplate = { spec = { template = { spec = {
        restartPolicy = "Never"
        containers    = [{ name = "etl", image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/etl:5" }]
      } } } }
    }
  }
}

resource "kubernetes_manifest" "bi_app" {
  manifest = {
    apiVersion = "v1"
    kind       = "Pod"
    metadata   = { name = "dashboards", namespace = "bi" }
    spec       = { containers = [{ name = "dash", image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/dash:8" }] }
  }
}
