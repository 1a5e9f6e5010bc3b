module "a" {
  source = "./modules/a"
  count  = 2
  name   = "root-${count.index}"
}

resource "aws_subnet" "s" {
  cidr_block = module.a[1].cidr
  tags = {
    digest = sha256("x")
    arn    = provider::aws::arn_build("aws", "iam", "", "111122223333", "role/x")
    also   = provider::aws::arn_build("aws", "iam", "", "111122223333", "role/y")
  }
}
