resource "aws_security_group" "open" {
  name = "open"
  ingress {
    cidr_blocks = ["0.0.0.0/0"]
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
  }
}

resource "aws_security_group" "closed" {
  name = "closed"
}

resource "aws_vpc_security_group_ingress_rule" "closed_world" {
  security_group_id = aws_security_group.closed.id
  cidr_ipv6         = "::/0"
  from_port         = 443
  to_port           = 443
  ip_protocol       = "tcp"
}

resource "aws_security_group" "private" {
  name = "private"
}

resource "aws_security_group_rule" "private_in" {
  security_group_id = aws_security_group.private.id
  type              = "ingress"
  cidr_blocks       = ["10.0.0.0/8"]
  from_port         = 443
  to_port           = 443
  protocol          = "tcp"
}

resource "aws_security_group" "computed" {
  name = "computed"
}

variable "cidrs" {}

resource "aws_security_group_rule" "computed_in" {
  security_group_id = aws_security_group.computed.id
  type              = "ingress"
  cidr_blocks       = var.cidrs
  from_port         = 443
  to_port           = 443
  protocol          = "tcp"
}

resource "aws_eks_cluster" "a" {
  name = "a"
  vpc_config {
    security_group_ids = [aws_security_group.open.id] # want EKS-011
  }
}

resource "aws_eks_cluster" "b" {
  name = "b"
  vpc_config {
    security_group_ids = [aws_security_group.closed.id] # want EKS-011
  }
}

resource "aws_eks_cluster" "c" {
  name = "c"
  vpc_config {
    security_group_ids = [aws_security_group.private.id] # want +EKS-011
  }
}

resource "aws_eks_cluster" "d" {
  name = "d"
  vpc_config {
    security_group_ids = [aws_security_group.computed.id] # want ?EKS-011
  }
}

resource "aws_eks_cluster" "nosg" {
  name = "nosg"
  vpc_config { # want +EKS-011
    subnet_ids = ["subnet-1"]
  }
}
