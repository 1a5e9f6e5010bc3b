resource "aws_security_group" "alb" {
  name = "alb"
  ingress {
    cidr_blocks = ["0.0.0.0/0"] # want NET-003
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
  }
  ingress {
    cidr_blocks = ["0.0.0.0/0"]
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
  }
  ingress {
    cidr_blocks = ["192.168.0.0/16"] # want +NET-003
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
  }
}

variable "cidrs" {}

resource "aws_security_group_rule" "computed" {
  type        = "ingress"
  from_port   = 8443
  to_port     = 8443
  protocol    = "tcp"
  cidr_blocks = var.cidrs # want ?NET-003
}

# Overlapping port ranges from the two halves of the IPv4 space: every
# address reaches ports 8050-8100. Port 9000 admits only one half.
resource "aws_security_group" "web" {
  name = "web"
  ingress {
    cidr_blocks = ["0.0.0.0/1"] # want NET-003
    from_port   = 8000
    to_port     = 8100
    protocol    = "tcp"
  }
  ingress {
    cidr_blocks = ["128.0.0.0/1"] # want NET-003
    from_port   = 8050
    to_port     = 8200
    protocol    = "tcp"
  }
  ingress {
    cidr_blocks = ["128.0.0.0/1"] # want +NET-003
    from_port   = 9000
    to_port     = 9000
    protocol    = "tcp"
  }
}

# 0.0.0.0/00 is 0.0.0.0/0 to the AWS provider (and to Go's net.ParseCIDR).
resource "aws_security_group_rule" "zero_bits" {
  type        = "ingress"
  from_port   = 8081
  to_port     = 8081
  protocol    = "tcp"
  cidr_blocks = ["0.0.0.0/00"] # want NET-003
}

resource "aws_security_group_rule" "malformed" {
  type        = "ingress"
  from_port   = 8082
  to_port     = 8082
  protocol    = "tcp"
  cidr_blocks = ["0.0.0.0/33"] # want ?NET-003
}
