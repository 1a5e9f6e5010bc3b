resource "aws_subnet" "ok" {
  cidr_block = "10.0.0.0/24"
}
