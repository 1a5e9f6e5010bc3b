variable "name" {}

resource "aws_vpc" "v" {
  cidr_block = "10.9.0.0/16"
  tags       = { Name = var.name }
}

output "cidr" {
  value = aws_vpc.v.cidr_block
}
