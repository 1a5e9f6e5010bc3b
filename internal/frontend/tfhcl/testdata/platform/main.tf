variable "public" {
  default = true
}

variable "env" {}

variable "azs" {
  default = ["a", "b"]
}

locals {
  name = "prod-${var.env}"
  logs = concat(["audit"], var.extra_logs)
  tags = merge({ Team = "platform" }, { Env = var.env })
}

variable "extra_logs" {
  default = []
}

resource "aws_kms_key" "eks" {
  description = upper(local.name)
}

resource "aws_eks_cluster" "this" {
  name                      = local.name
  enabled_cluster_log_types = local.logs
  tags                      = local.tags
  vpc_config {
    endpoint_public_access = var.public
    subnet_ids             = aws_subnet.private[*].id
  }
  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = aws_kms_key.eks.arn
    }
  }
}

resource "aws_subnet" "private" {
  count                   = length(var.azs)
  cidr_block              = cidrsubnet("10.0.0.0/16", 8, count.index)
  map_public_ip_on_launch = count.index == 1
  tags                    = { Name = format("%s-%s", local.name, var.azs[count.index]) }
}

module "nodes" {
  source   = "./modules/nodes"
  for_each = toset(["a", "b"])
  cluster  = aws_eks_cluster.this.name
  tokens   = each.key == "a" ? "required" : "optional"
}

module "registry" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
}

resource "aws_eks_node_group" "ng" {
  cluster_name  = aws_eks_cluster.this.name
  node_role_arn = module.registry.role_arn
  subnet_ids    = try(module.registry.private_subnets, [])
  launch_template {
    id      = module.nodes["a"].id
    version = "$Latest"
  }
}
