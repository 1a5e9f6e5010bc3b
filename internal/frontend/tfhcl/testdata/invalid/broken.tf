resource "aws_subnet" "bad" {
  cidr_block = "10.0.1.0/24
}
