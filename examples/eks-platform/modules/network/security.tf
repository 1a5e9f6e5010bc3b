resource "aws_security_group" "cluster" {
  name_prefix = "${var.name}-cluster-"
  vpc_id      = aws_vpc.this.id
  description = "EKS control plane ENIs"
}

resource "aws_vpc_security_group_ingress_rule" "cluster_https_from_vpc" {
  security_group_id = aws_security_group.cluster.id
  cidr_ipv4         = var.cidr
  from_port         = 443
  to_port           = 443
  ip_protocol       = "tcp"
}

resource "aws_security_group" "bastion" {
  name_prefix = "${var.name}-bastion-"
  vpc_id      = aws_vpc.this.id

  dynamic "ingress" {
    for_each = { ssh = 22 }
    content {
      description = "${ingress.key} from anywhere"
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}
