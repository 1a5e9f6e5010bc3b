variable "internal" {
  type = bool
}

resource "aws_lb" "public" { # want NET-008
  name               = "public"
  load_balancer_type = "application"
}

resource "aws_lb" "explicit" {
  name               = "explicit"
  load_balancer_type = "network"
  internal           = false # want NET-008
}

resource "aws_lb" "private" {
  name               = "private"
  load_balancer_type = "application"
  internal           = true # want +NET-008
}

resource "aws_lb" "chosen" {
  name               = "chosen"
  load_balancer_type = "application"
  internal           = var.internal # want ?NET-008
}

resource "aws_lb" "inspection" {
  name               = "inspection"
  load_balancer_type = "gateway"
}

resource "aws_elb" "classic" { # want NET-008
  name = "classic"
}
