# Ingress rules from a dynamic block whose for_each is not known: as many
# rules as the collection has, each open to the world; the verdict is
# unknown, never a pass by absence.
variable "ports" {
  type = list(number)
}

data "aws_subnets" "s" {}

resource "aws_security_group" "ports" {
  name = "web"
  dynamic "ingress" { # want ?NET-002
    for_each = var.ports
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}

resource "aws_security_group" "per_subnet" {
  name = "ssh"
  dynamic "ingress" { # want ?NET-002
    for_each = toset(data.aws_subnets.s.ids)
    content {
      from_port   = 22
      to_port     = 22
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}

# Known for_each: the rules are read one by one.
resource "aws_security_group" "known" {
  name = "https"
  dynamic "ingress" {
    for_each = [443]
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"] # want +NET-002
    }
  }
}
