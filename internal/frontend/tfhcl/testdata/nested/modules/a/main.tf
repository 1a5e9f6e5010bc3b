variable "name" {}

module "b" {
  source = "./modules/b"
  name   = "${var.name}-a"
}

output "cidr" {
  value = module.b.cidr
}
