module "vpc" {
  source = "./modules/vpc"
}

resource "aws_subnet" "defaulted" { # want +NET-001
  cidr_block = "10.0.9.0/24"
}

variable "map_public" {}

resource "aws_subnet" "computed" {
  map_public_ip_on_launch = var.map_public # want ?NET-001
}
