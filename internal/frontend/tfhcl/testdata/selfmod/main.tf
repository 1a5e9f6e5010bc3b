module "me" {
  source = "./"
}

resource "aws_subnet" "s" {
  cidr_block = "10.0.0.0/24"
}
