data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

locals {
  create_kms_key = var.create && var.encryption_config.provider_key_arn == null
  key_arn        = local.create_kms_key ? aws_kms_key.this[0].arn : var.encryption_config.provider_key_arn
}

resource "aws_kms_key" "this" {
  count = local.create_kms_key ? 1 : 0

  description         = "${var.name} secrets"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.key[0].json
  tags                = var.tags
}

data "aws_iam_policy_document" "key" {
  count = local.create_kms_key ? 1 : 0

  statement {
    sid       = "Default"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  dynamic "statement" {
    for_each = [aws_iam_role.cluster[0].arn]
    content {
      sid       = "ClusterUse"
      actions   = ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"]
      resources = ["*"]
      principals {
        type        = "AWS"
        identifiers = [statement.value]
      }
    }
  }
}

resource "aws_eks_cluster" "this" {
  count = var.create ? 1 : 0

  name                      = var.name
  version                   = var.cluster.version
  role_arn                  = aws_iam_role.cluster[0].arn
  enabled_cluster_log_types = var.cluster.enabled_log_types

  access_config {
    authentication_mode = "API"
  }

  vpc_config {
    subnet_ids              = ["subnet-0a1", "subnet-0b2"]
    endpoint_private_access = true
    endpoint_public_access  = var.cluster.endpoint_public_access
    public_access_cidrs     = var.cluster.public_access_cidrs
  }

  dynamic "encryption_config" {
    for_each = length(var.encryption_config.resources) > 0 ? [var.encryption_config] : []
    content {
      resources = encryption_config.value.resources
      provider {
        key_arn = local.key_arn
      }
    }
  }

  tags = var.tags
}

resource "aws_cloudwatch_log_group" "this" {
  count = var.create ? 1 : 0

  name              = "/aws/eks/${var.name}/cluster"
  retention_in_days = 400
  kms_key_id        = local.key_arn
}

data "aws_iam_policy_document" "cluster_assume" {
  statement {
    actions = ["sts:AssumeRole", "sts:TagSession"]
    principals {
      type        = "Service"
      identifiers = ["eks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "cluster" {
  count = var.create ? 1 : 0

  name_prefix        = "${var.name}-cluster-"
  assume_role_policy = data.aws_iam_policy_document.cluster_assume.json
}

resource "aws_iam_role_policy_attachment" "cluster" {
  for_each = { for k, v in toset(["AmazonEKSClusterPolicy"]) : k => v if var.create }

  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/${each.value}"
  role       = aws_iam_role.cluster[0].name
}

module "node_group" {
  source   = "../node-group"
  for_each = { for k, v in var.node_groups : k => v if var.create }

  cluster_name     = aws_eks_cluster.this[0].name
  name             = "${var.name}-${each.key}"
  instance_types   = each.value.instance_types
  create_iam_role  = each.value.create_iam_role
  iam_role_arn     = each.value.iam_role_arn
  metadata_options = each.value.metadata_options
  tags             = var.tags
}
