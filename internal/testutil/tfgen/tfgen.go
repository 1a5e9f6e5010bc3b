// Package tfgen writes a Terraform repository shaped like the registry's
// EKS module (terraform-aws-modules/terraform-aws-eks) for benchmarks: a
// root module that builds a cluster, its IAM, encryption, security groups
// and access entries from typed variables with optional() defaults and
// calls local submodules per node group, and examples that each call the
// root module several times, one of them disabled, as the registry's
// examples do. Every example is a root module of the scan and reads the
// root module and its submodules through its calls. Output is
// deterministic and uses local modules only, so no download is involved.
package tfgen

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Options size the repository.
type Options struct {
	// Examples is the number of example root modules.
	Examples int
	// Files is the number of extra .tf files of the root module, each
	// with a family of IAM and security group resources.
	Files int
	// Groups is the number of node groups each enabled cluster has.
	Groups int
}

// Resources is the number of resources and data sources one scan of the
// repository yields.
func (o Options) Resources() int {
	// The root module, enabled with its KMS key and one access entry
	// given: two data sources, the cluster, its assume role document,
	// role and two attachments, the key and its alias, a security group
	// and two rules, two access entries; then four per extra file and
	// seven per node group (a data source, a launch template, the group,
	// a role, three attachments).
	enabled := 14 + 4*o.Files + 7*o.Groups
	// The IPv6 cluster has no key and no access entry given; the
	// disabled one has only its two data sources.
	ipv6 := enabled - 3
	return o.Examples * (enabled + ipv6 + 2)
}

// Write lays the repository out under dir.
func Write(dir string, o Options) error {
	files := map[string]string{
		"versions.tf":                     versions,
		"variables.tf":                    rootVariables,
		"main.tf":                         rootMain,
		"node_groups.tf":                  rootNodeGroups,
		"outputs.tf":                      rootOutputs,
		"modules/node-group/versions.tf":  versions,
		"modules/node-group/variables.tf": ngVariables,
		"modules/node-group/main.tf":      ngMain,
		"modules/node-group/outputs.tf":   "output \"role_arn\" {\n  value = aws_iam_role.this.arn\n}\n",
		"modules/user-data/versions.tf":   versions,
		"modules/user-data/main.tf":       userData,
	}
	for i := 0; i < o.Files; i++ {
		files[fmt.Sprintf("family_%02d.tf", i)] = fmt.Sprintf(family, i)
	}
	for e := 0; e < o.Examples; e++ {
		files[fmt.Sprintf("examples/ex%02d/main.tf", e)] = example(e, o.Groups)
		files[fmt.Sprintf("examples/ex%02d/versions.tf", e)] = versions
	}
	for name, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func example(e, groups int) string {
	var ng strings.Builder
	for g := 0; g < groups; g++ {
		fmt.Fprintf(&ng, "    group-%d = {\n      instance_types = [\"m6i.large\", \"m7i.large\"]\n      min_size       = %d\n      labels         = { tier = \"t%d\" }\n      taints = {\n        dedicated = { key = \"dedicated\", value = \"g%d\", effect = \"NO_SCHEDULE\" }\n      }\n    }\n", g, 1+g%3, g, g)
	}
	return fmt.Sprintf(`locals {
  name   = "ex%02[1]d"
  region = "eu-west-1"
  tags = {
    Example    = local.name
    Repository = "github.com/example/terraform-aws-eks"
  }
}

module "eks" {
  source = "../.."

  name               = local.name
  kubernetes_version = "1.33"
  subnet_ids         = ["subnet-a%02[1]d", "subnet-b%02[1]d", "subnet-c%02[1]d"]
  vpc_id             = "vpc-%02[1]d"

  endpoint_public_access = %[1]d %% 2 == 0
  access_entries = {
    admin = {
      principal_arn = "arn:aws:iam::111122223333:role/admin"
      policy        = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
    }
  }
  node_groups = {
%[2]s  }
  tags = local.tags
}

module "eks_ipv6" {
  source = "../.."

  name            = "${local.name}-ipv6"
  ip_family       = "ipv6"
  subnet_ids      = ["subnet-v6"]
  vpc_id          = "vpc-v6"
  encryption_keys = false
  node_groups = {
%[2]s  }
  tags = merge(local.tags, { IPFamily = "ipv6" })
}

module "disabled_eks" {
  source = "../.."

  create = false
  name   = "disabled"
}

output "cluster_arn" {
  value = module.eks.cluster_arn
}
`, e, ng.String())
}

const versions = `terraform {
  required_version = ">= 1.5.7"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.0"
    }
  }
}
`

const rootVariables = `variable "create" {
  description = "Controls if resources should be created (affects nearly all resources)"
  type        = bool
  default     = true
}

variable "name" {
  description = "Name of the EKS cluster"
  type        = string
  default     = ""
}

variable "kubernetes_version" {
  description = "Kubernetes <major>.<minor> version to use for the EKS cluster"
  type        = string
  default     = null
}

variable "ip_family" {
  description = "The IP family used to assign Kubernetes pod and service addresses"
  type        = string
  default     = "ipv4"
}

variable "subnet_ids" {
  description = "A list of subnet IDs where the nodes/node groups will be provisioned"
  type        = list(string)
  default     = []
}

variable "vpc_id" {
  description = "ID of the VPC where the cluster security group will be provisioned"
  type        = string
  default     = null
}

variable "endpoint_public_access" {
  description = "Indicates whether or not the Amazon EKS public API server endpoint is enabled"
  type        = bool
  default     = false
}

variable "endpoint_public_access_cidrs" {
  description = "List of CIDR blocks which can access the Amazon EKS public API server endpoint"
  type        = list(string)
  default     = ["0.0.0.0/0"]
}

variable "encryption_keys" {
  description = "Create a KMS key for secrets encryption"
  type        = bool
  default     = true
}

variable "enabled_log_types" {
  description = "A list of the desired control plane logs to enable"
  type        = list(string)
  default     = ["audit", "api", "authenticator"]
}

variable "access_entries" {
  description = "Map of access entries to add to the cluster"
  type = map(object({
    principal_arn     = string
    kubernetes_groups = optional(list(string))
    type              = optional(string, "STANDARD")
    policy            = optional(string)
    namespaces        = optional(list(string), [])
  }))
  default = {}
}

variable "node_groups" {
  description = "Map of managed node group definitions to create"
  type = map(object({
    create         = optional(bool, true)
    instance_types = optional(list(string), ["m6i.large"])
    ami_type       = optional(string, "AL2023_x86_64_STANDARD")
    min_size       = optional(number, 1)
    max_size       = optional(number, 3)
    desired_size   = optional(number, 1)
    disk_size      = optional(number, 50)
    labels         = optional(map(string), {})
    taints = optional(map(object({
      key    = string
      value  = optional(string)
      effect = string
    })), {})
    metadata_options = optional(object({
      http_endpoint               = optional(string, "enabled")
      http_tokens                 = optional(string, "required")
      http_put_response_hop_limit = optional(number, 1)
    }), {})
  }))
  default = {}
}

variable "tags" {
  description = "A map of tags to add to all resources"
  type        = map(string)
  default     = {}
}
`

const rootMain = `data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

locals {
  create      = var.create
  partition   = data.aws_partition.current.partition
  account_id  = data.aws_caller_identity.current.account_id
  create_kms  = local.create && var.encryption_keys
  cluster_tag = { "kubernetes.io/cluster/${var.name}" = "owned" }
  role_name   = substr("${var.name}-cluster", 0, 38)
  sg_rules = {
    ingress_nodes_443 = { type = "ingress", from_port = 443, to_port = 443, protocol = "tcp" }
    egress_all        = { type = "egress", from_port = 0, to_port = 0, protocol = "-1" }
  }
}

resource "aws_eks_cluster" "this" {
  count = local.create ? 1 : 0

  name                      = var.name
  role_arn                  = aws_iam_role.cluster[0].arn
  version                   = var.kubernetes_version
  enabled_cluster_log_types = var.enabled_log_types

  access_config {
    authentication_mode                         = "API"
    bootstrap_cluster_creator_admin_permissions = false
  }

  vpc_config {
    security_group_ids      = [aws_security_group.cluster[0].id]
    subnet_ids              = var.subnet_ids
    endpoint_private_access = true
    endpoint_public_access  = var.endpoint_public_access
    public_access_cidrs     = var.endpoint_public_access ? var.endpoint_public_access_cidrs : []
  }

  kubernetes_network_config {
    ip_family = var.ip_family
  }

  dynamic "encryption_config" {
    for_each = local.create_kms ? [aws_kms_key.this[0].arn] : []
    content {
      provider {
        key_arn = encryption_config.value
      }
      resources = ["secrets"]
    }
  }

  tags = merge(var.tags, { Name = var.name })
}

data "aws_iam_policy_document" "assume" {
  count = local.create ? 1 : 0

  statement {
    sid     = "EKSClusterAssumeRole"
    actions = ["sts:AssumeRole", "sts:TagSession"]
    principals {
      type        = "Service"
      identifiers = ["eks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "cluster" {
  count = local.create ? 1 : 0

  name               = local.role_name
  assume_role_policy = data.aws_iam_policy_document.assume[0].json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "cluster" {
  for_each = { for k, v in {
    AmazonEKSClusterPolicy         = "arn:${local.partition}:iam::aws:policy/AmazonEKSClusterPolicy"
    AmazonEKSVPCResourceController = "arn:${local.partition}:iam::aws:policy/AmazonEKSVPCResourceController"
  } : k => v if local.create }

  policy_arn = each.value
  role       = aws_iam_role.cluster[0].name
}

resource "aws_kms_key" "this" {
  count = local.create_kms ? 1 : 0

  description             = "${var.name} cluster encryption key"
  deletion_window_in_days = 7
  enable_key_rotation     = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Default"
      Effect    = "Allow"
      Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
  tags = var.tags
}

resource "aws_kms_alias" "this" {
  count = local.create_kms ? 1 : 0

  name          = "alias/eks/${var.name}"
  target_key_id = aws_kms_key.this[0].key_id
}

resource "aws_security_group" "cluster" {
  count = local.create ? 1 : 0

  name_prefix = "${var.name}-cluster-"
  description = "EKS cluster security group"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, local.cluster_tag)
}

resource "aws_security_group_rule" "cluster" {
  for_each = { for k, v in local.sg_rules : k => v if local.create }

  security_group_id = aws_security_group.cluster[0].id
  type              = each.value.type
  from_port         = each.value.from_port
  to_port           = each.value.to_port
  protocol          = each.value.protocol
  cidr_blocks       = each.value.type == "egress" ? ["0.0.0.0/0"] : null
  description       = "Cluster ${each.key}"
}

resource "aws_eks_access_entry" "this" {
  for_each = { for k, v in merge(var.access_entries, {
    nodes = { principal_arn = "arn:${local.partition}:iam::${local.account_id}:role/${var.name}-nodes", type = "EC2_LINUX", policy = null, namespaces = [], kubernetes_groups = null }
  }) : k => v if local.create }

  cluster_name      = aws_eks_cluster.this[0].name
  principal_arn     = each.value.principal_arn
  type              = each.value.type
  kubernetes_groups = each.value.kubernetes_groups
  tags              = var.tags
}
`

const family = `locals {
  family_%[1]d_name = "${var.name}-family-%[1]d"
  family_%[1]d_actions = concat(
    ["ec2:DescribeInstances", "ec2:DescribeSubnets"],
    var.endpoint_public_access ? ["eks:DescribeCluster"] : [],
  )
}

data "aws_iam_policy_document" "family_%[1]d" {
  count = local.create ? 1 : 0

  statement {
    sid       = "Describe"
    actions   = local.family_%[1]d_actions
    resources = ["*"]
  }

  dynamic "statement" {
    for_each = local.create_kms ? [1] : []
    content {
      sid       = "Encrypt"
      actions   = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*"]
      resources = [aws_kms_key.this[0].arn]
    }
  }
}

resource "aws_iam_role" "family_%[1]d" {
  count = local.create ? 1 : 0

  name               = substr(local.family_%[1]d_name, 0, 38)
  assume_role_policy = data.aws_iam_policy_document.assume[0].json
  inline_policy {
    name   = "family"
    policy = data.aws_iam_policy_document.family_%[1]d[0].json
  }
  tags = merge(var.tags, { Family = "%[1]d" })
}

resource "aws_iam_role_policy_attachment" "family_%[1]d" {
  count = local.create ? 1 : 0

  role       = aws_iam_role.family_%[1]d[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AmazonEKS_CNI_Policy"
}

resource "aws_security_group" "family_%[1]d" {
  count = local.create ? 1 : 0

  name_prefix = "${local.family_%[1]d_name}-"
  vpc_id      = var.vpc_id

  dynamic "ingress" {
    for_each = { https = 443, kubelet = 10250 }
    content {
      description     = "Family %[1]d ${ingress.key}"
      from_port       = ingress.value
      to_port         = ingress.value
      protocol        = "tcp"
      security_groups = [aws_security_group.cluster[0].id]
    }
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = var.ip_family == "ipv6" ? [] : ["0.0.0.0/0"]
  }

  tags = var.tags
}
`

const rootNodeGroups = `module "node_group" {
  source   = "./modules/node-group"
  for_each = { for k, v in var.node_groups : k => v if local.create && v.create }

  name              = substr("${var.name}-${each.key}", 0, 38)
  cluster_name      = aws_eks_cluster.this[0].name
  cluster_version   = var.kubernetes_version
  subnet_ids        = var.subnet_ids
  security_group_id = aws_security_group.cluster[0].id
  instance_types    = each.value.instance_types
  ami_type          = each.value.ami_type
  scaling           = { min = each.value.min_size, max = each.value.max_size, desired = each.value.desired_size }
  disk_size         = each.value.disk_size
  labels            = each.value.labels
  taints            = each.value.taints
  metadata_options  = each.value.metadata_options
  kms_key_arn       = local.create_kms ? aws_kms_key.this[0].arn : null
  tags              = var.tags
}
`

const rootOutputs = `output "cluster_arn" {
  description = "The Amazon Resource Name (ARN) of the cluster"
  value       = try(aws_eks_cluster.this[0].arn, null)
}

output "cluster_endpoint" {
  description = "Endpoint for your Kubernetes API server"
  value       = try(aws_eks_cluster.this[0].endpoint, null)
}

output "node_group_roles" {
  description = "IAM roles of the node groups"
  value       = { for k, v in module.node_group : k => v.role_arn }
}
`

const ngVariables = `variable "name" {
  type = string
}

variable "cluster_name" {
  type = string
}

variable "cluster_version" {
  type    = string
  default = null
}

variable "subnet_ids" {
  type = list(string)
}

variable "security_group_id" {
  type = string
}

variable "instance_types" {
  type = list(string)
}

variable "ami_type" {
  type = string
}

variable "scaling" {
  type = object({ min = number, max = number, desired = number })
}

variable "disk_size" {
  type = number
}

variable "labels" {
  type = map(string)
}

variable "taints" {
  type = map(object({ key = string, value = optional(string), effect = string }))
}

variable "metadata_options" {
  type = object({
    http_endpoint               = string
    http_tokens                 = string
    http_put_response_hop_limit = number
  })
}

variable "kms_key_arn" {
  type    = string
  default = null
}

variable "tags" {
  type    = map(string)
  default = {}
}
`

const ngMain = `module "user_data" {
  source = "../user-data"

  cluster_name = var.cluster_name
  labels       = var.labels
}

data "aws_partition" "current" {}

locals {
  partition = data.aws_partition.current.partition
  policies = toset([
    "AmazonEKSWorkerNodePolicy",
    "AmazonEC2ContainerRegistryReadOnly",
    "AmazonSSMManagedInstanceCore",
  ])
}

resource "aws_launch_template" "this" {
  name_prefix            = "${var.name}-"
  update_default_version = true
  user_data              = module.user_data.user_data

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size           = var.disk_size
      volume_type           = "gp3"
      encrypted             = true
      kms_key_id            = var.kms_key_arn
      delete_on_termination = true
    }
  }

  metadata_options {
    http_endpoint               = var.metadata_options.http_endpoint
    http_tokens                 = var.metadata_options.http_tokens
    http_put_response_hop_limit = var.metadata_options.http_put_response_hop_limit
  }

  vpc_security_group_ids = [var.security_group_id]

  dynamic "tag_specifications" {
    for_each = toset(["instance", "volume", "network-interface"])
    content {
      resource_type = tag_specifications.key
      tags          = merge(var.tags, { Name = var.name })
    }
  }
}

resource "aws_eks_node_group" "this" {
  cluster_name    = var.cluster_name
  node_group_name = var.name
  node_role_arn   = aws_iam_role.this.arn
  subnet_ids      = var.subnet_ids
  version         = var.cluster_version
  ami_type        = var.ami_type
  instance_types  = var.instance_types
  labels          = var.labels

  scaling_config {
    min_size     = var.scaling.min
    max_size     = var.scaling.max
    desired_size = var.scaling.desired
  }

  launch_template {
    id      = aws_launch_template.this.id
    version = aws_launch_template.this.default_version
  }

  dynamic "taint" {
    for_each = var.taints
    content {
      key    = taint.value.key
      value  = taint.value.value
      effect = taint.value.effect
    }
  }

  update_config {
    max_unavailable_percentage = 33
  }

  tags = var.tags
}

resource "aws_iam_role" "this" {
  name_prefix = "${var.name}-"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Action    = "sts:AssumeRole"
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
    }]
  })
  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "this" {
  for_each = local.policies

  policy_arn = "arn:${local.partition}:iam::aws:policy/${each.value}"
  role       = aws_iam_role.this.name
}
`

const userData = `variable "cluster_name" {
  type = string
}

variable "labels" {
  type    = map(string)
  default = {}
}

locals {
  label_args = join(",", [for k, v in var.labels : "${k}=${v}"])
  script = <<-EOT
    #!/bin/bash
    set -ex
    /etc/eks/bootstrap.sh ${var.cluster_name} %{ if local.label_args != "" }--kubelet-extra-args '--node-labels=${local.label_args}'%{ endif }
  EOT
}

output "user_data" {
  value = base64encode(local.script)
}
`
