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
