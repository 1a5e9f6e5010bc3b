resource "aws_eks_node_group" "ssh_open" {
  node_group_name = "a"
  remote_access { # want NODE-005
    ec2_ssh_key = "ops-key"
  }
}

resource "aws_eks_node_group" "ssh_fenced" {
  node_group_name = "b"
  remote_access {
    ec2_ssh_key               = "ops-key"
    source_security_group_ids = ["sg-0123456789abcdef0"] # want +NODE-005
  }
}

resource "aws_eks_node_group" "no_ssh" { # want +NODE-005
  node_group_name = "c"
}

variable "bastion_sg" {}

resource "aws_eks_node_group" "ssh_computed" {
  node_group_name = "d"
  remote_access {
    ec2_ssh_key               = "ops-key"
    source_security_group_ids = [var.bastion_sg] # want ?NODE-005
  }
}
