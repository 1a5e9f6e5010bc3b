output "cluster_name" {
  value = module.cluster.name
}

output "vpc_id" {
  value = module.network.vpc_id
}
