variable "name" {}

module "c" {
  source   = "./modules/c"
  for_each = toset(["x"])
  name     = "${var.name}-b-${each.key}"
}

output "cidr" {
  value = module.c["x"].cidr
}
