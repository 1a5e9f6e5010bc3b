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

# Two groups on one cluster, each admitting half of the IPv4 space on
# 443: the cluster's interfaces admit every address.
resource "aws_security_group" "half_a" {
  name = "half_a"
  ingress {
    cidr_blocks = ["0.0.0.0/1"]
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
  }
}

resource "aws_security_group" "half_b" {
  name = "half_b"
  ingress {
    cidr_blocks = ["128.0.0.0/1"]
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
  }
}

# The halves on different ports: no port admits every address.
resource "aws_security_group" "apart" {
  name = "apart"
  ingress {
    cidr_blocks = ["0.0.0.0/1"]
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
  }
  ingress {
    cidr_blocks = ["128.0.0.0/1"]
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
  }
}

resource "aws_security_group" "malformed" {
  name = "malformed"
  ingress {
    cidr_blocks = ["0.0.0.0"]
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
  }
}

resource "aws_eks_cluster" "e" {
  name = "e"
  vpc_config {
    security_group_ids = [aws_security_group.half_a.id, aws_security_group.half_b.id] # want EKS-011
  }
}

resource "aws_eks_cluster" "f" {
  name = "f"
  vpc_config {
    security_group_ids = [aws_security_group.apart.id] # want +EKS-011
  }
}

resource "aws_eks_cluster" "g" {
  name = "g"
  vpc_config {
    security_group_ids = [aws_security_group.malformed.id] # want ?EKS-011
  }
}
