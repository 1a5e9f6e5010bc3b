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
