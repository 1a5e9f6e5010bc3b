module "network" {
  source     = "./modules/network"
  name       = local.name
  cidr       = var.vpc_cidr
  azs        = var.azs
  public_ips = false
}

module "iam" {
  source          = "./modules/iam"
  name            = local.name
  admin_role_name = var.admin_role_name
}

module "cluster" {
  source             = "./modules/cluster"
  name               = local.name
  kubernetes_version = var.kubernetes_version
  subnet_ids         = module.network.private_subnet_ids
  security_group_id  = module.network.cluster_security_group_id
  cluster_role_arn   = module.iam.cluster_role_arn
  admin_role_arn     = module.iam.admin_role_arn
  ci_role_arn        = module.iam.ci_role_arn
  public_api         = local.public_api
  public_api_cidrs   = var.public_api_cidrs
}

module "node_group" {
  source         = "./modules/node-group"
  for_each       = var.node_groups
  name           = "${local.name}-${each.key}"
  cluster_name   = module.cluster.name
  node_role_arn  = module.iam.node_role_arn
  subnet_ids     = module.network.private_subnet_ids
  instance_types = each.value.instance_types
  min_size       = each.value.min_size
  max_size       = each.value.max_size
  imdsv2         = each.value.imdsv2
}

module "karpenter" {
  source       = "./modules/karpenter"
  cluster_name = module.cluster.name
}
