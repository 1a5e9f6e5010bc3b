variable "vpc_id" {}
variable "allowed_ports" {
  type = list(number)
}

resource "aws_default_security_group" "open" {
  vpc_id = var.vpc_id
  ingress { # want NET-006
    protocol  = "-1"
    from_port = 0
    to_port   = 0
    self      = true
  }
  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_default_security_group" "egress_only" {
  vpc_id = var.vpc_id
  egress { # want NET-006
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_default_security_group" "closed" { # want +NET-006
  vpc_id = var.vpc_id
}

resource "aws_default_security_group" "attached" { # want NET-006
  vpc_id = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "to_default" {
  security_group_id = aws_default_security_group.attached.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "10.0.0.0/8"
}

resource "aws_default_security_group" "dynamic" {
  vpc_id = var.vpc_id
  dynamic "ingress" { # want ?NET-006
    for_each = var.allowed_ports
    content {
      protocol    = "tcp"
      from_port   = ingress.value
      to_port     = ingress.value
      cidr_blocks = ["10.0.0.0/8"]
    }
  }
}
