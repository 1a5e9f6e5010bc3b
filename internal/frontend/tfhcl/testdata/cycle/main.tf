locals {
  a = local.b
  b = "${local.a}-x"
  c = "fine"
}

resource "aws_subnet" "s" {
  cidr_block = local.a
  tags       = { c = local.c }
}
