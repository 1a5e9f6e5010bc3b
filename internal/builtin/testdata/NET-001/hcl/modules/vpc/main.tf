resource "aws_subnet" "public" {
  count                   = 1
  cidr_block              = "10.0.4.0/24"
  map_public_ip_on_launch = true # want NET-001
}

resource "aws_subnet" "private" {
  count                   = 1
  cidr_block              = "10.0.1.0/24"
  map_public_ip_on_launch = false # want +NET-001
}
