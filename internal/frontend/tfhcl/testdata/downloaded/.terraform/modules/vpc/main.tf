variable "public" {
  default = false
}

resource "aws_subnet" "public" {
  map_public_ip_on_launch = var.public
}
