resource "aws_security_group" "bastion" {
  name = "bastion"
  ingress {
    cidr_blocks = ["0.0.0.0/0"] # want NET-002
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
  }
  ingress {
    cidr_blocks = ["10.0.0.0/8"] # want +NET-002
    from_port   = 3389
    to_port     = 3389
    protocol    = "tcp"
  }
}

resource "aws_security_group_rule" "all" {
  type             = "ingress"
  from_port        = 0
  to_port          = 0
  protocol         = "-1"
  ipv6_cidr_blocks = ["::/0"] # want NET-002
}

resource "aws_security_group_rule" "egress" {
  type        = "egress"
  from_port   = 0
  to_port     = 0
  protocol    = "-1"
  cidr_blocks = ["0.0.0.0/0"]
}

resource "aws_vpc_security_group_ingress_rule" "api" {
  from_port   = 6000
  to_port     = 7000
  ip_protocol = "tcp"
  cidr_ipv4   = "0.0.0.0/0" # want NET-002
}

resource "aws_vpc_security_group_ingress_rule" "https" {
  from_port   = 443
  to_port     = 443
  ip_protocol = "tcp"
  cidr_ipv4   = "0.0.0.0/0" # want +NET-002
}

variable "admin_cidrs" {}

resource "aws_security_group_rule" "computed" {
  type        = "ingress"
  from_port   = 22
  to_port     = 22
  protocol    = "tcp"
  cidr_blocks = var.admin_cidrs # want ?NET-002
}

# Two halves of the IPv4 space on one port are the whole internet; the
# /32 beside them adds nothing the halves do not already admit.
resource "aws_security_group" "split" {
  name = "split"
  ingress {
    cidr_blocks = ["0.0.0.0/1"] # want NET-002
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
  }
  ingress {
    cidr_blocks = ["128.0.0.0/1"] # want NET-002
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
  }
  ingress {
    cidr_blocks = ["8.8.4.4/32"] # want +NET-002
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
  }
}

# The halves on different protocols or ports never add up.
resource "aws_security_group" "mixed" {
  name = "mixed"
  ingress {
    cidr_blocks = ["0.0.0.0/1"] # want +NET-002
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
  }
  ingress {
    cidr_blocks = ["128.0.0.0/1"] # want +NET-002
    from_port   = 22
    to_port     = 22
    protocol    = "udp"
  }
  ingress {
    cidr_blocks = ["128.0.0.0/1"] # want +NET-002
    from_port   = 3389
    to_port     = 3389
    protocol    = "tcp"
  }
}

resource "aws_security_group" "target" {
  name = "target"
}

# Rule resources attached to the same group add up too.
resource "aws_vpc_security_group_ingress_rule" "half_a" {
  security_group_id = aws_security_group.target.id
  from_port         = 6443
  to_port           = 6443
  ip_protocol       = "tcp"
  cidr_ipv4         = "0.0.0.0/1" # want NET-002
}

resource "aws_vpc_security_group_ingress_rule" "half_b" {
  security_group_id = aws_security_group.target.id
  from_port         = 6443
  to_port           = 6443
  ip_protocol       = "tcp"
  cidr_ipv4         = "128.0.0.0/1" # want NET-002
}

resource "aws_vpc_security_group_ingress_rule" "long_v6" {
  from_port   = 22
  to_port     = 22
  ip_protocol = "tcp"
  cidr_ipv6   = "0000:0000:0000:0000:0000:0000:0000:0000/0" # want NET-002
}

# Not a CIDR block: AWS rejects it, and what was meant is not knowable.
resource "aws_vpc_security_group_ingress_rule" "malformed" {
  from_port   = 22
  to_port     = 22
  ip_protocol = "tcp"
  cidr_ipv4   = "0.0.0.0" # want ?NET-002
}
