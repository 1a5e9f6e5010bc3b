variable "allowed_ports" {
  type = list(number)
}

resource "aws_default_security_group" "open" {
  vpc_id = "vpc-0a1b2c3d"
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
  vpc_id = "vpc-0a1b2c3d"
  egress { # want NET-006
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_default_security_group" "closed" { # want +NET-006
  vpc_id = "vpc-0a1b2c3d"
}

resource "aws_default_security_group" "attached" { # want NET-006
  vpc_id = "vpc-0a1b2c3d"
}

resource "aws_vpc_security_group_ingress_rule" "to_default" {
  security_group_id = aws_default_security_group.attached.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "10.0.0.0/8"
}

resource "aws_default_security_group" "dynamic" {
  vpc_id = "vpc-0a1b2c3d"
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

# A VPC whose default group nothing adopts keeps AWS's rules.
resource "aws_vpc" "bare" { # want NET-006
  cidr_block = "10.1.0.0/16"
}

# Adopted with no rules, as terraform-aws-modules/vpc does by default: the
# verdict is the group's.
resource "aws_vpc" "adopted" {
  cidr_block = "10.2.0.0/16"
}

resource "aws_default_security_group" "adopted" { # want +NET-006
  vpc_id = aws_vpc.adopted.id
}
