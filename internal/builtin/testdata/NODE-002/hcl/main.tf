resource "aws_launch_template" "two" {
  metadata_options {
    http_tokens                 = "required"
    http_put_response_hop_limit = 2 # want NODE-002
  }
}

resource "aws_launch_template" "one" {
  metadata_options {
    http_put_response_hop_limit = 1 # want +NODE-002
  }
}

resource "aws_launch_template" "default" { # want +NODE-002
  name = "default"
}

variable "hops" {}

resource "aws_launch_template" "computed" {
  metadata_options {
    http_put_response_hop_limit = var.hops # want ?NODE-002
  }
}

resource "aws_eks_node_group" "bare" { # want NODE-002
  node_group_name = "bare"
}

resource "aws_eks_node_group" "templated" {
  node_group_name = "t"
  launch_template {
    name    = "one"
    version = "1"
  }
}
