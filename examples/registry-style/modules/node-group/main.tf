data "aws_partition" "current" {}

locals {
  policy_prefix = "arn:${data.aws_partition.current.partition}:iam::aws:policy"
  node_policies = {
    for p in ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryReadOnly"] : p => "${local.policy_prefix}/${p}"
  }
}

resource "aws_launch_template" "this" {
  name_prefix = "${var.name}-"

  dynamic "metadata_options" {
    for_each = [var.metadata_options]
    content {
      http_endpoint               = metadata_options.value.http_endpoint
      http_tokens                 = metadata_options.value.http_tokens
      http_put_response_hop_limit = metadata_options.value.http_put_response_hop_limit
    }
  }

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size = 50
      encrypted   = true
    }
  }

  tags = var.tags
}

resource "aws_eks_node_group" "this" {
  cluster_name    = var.cluster_name
  node_group_name = var.name
  node_role_arn   = var.create_iam_role ? aws_iam_role.this[0].arn : var.iam_role_arn
  subnet_ids      = ["subnet-0a1", "subnet-0b2"]
  instance_types  = var.instance_types
  ami_type        = "AL2023_x86_64_STANDARD"

  launch_template {
    id      = aws_launch_template.this.id
    version = aws_launch_template.this.latest_version
  }

  scaling_config {
    min_size     = 1
    max_size     = 3
    desired_size = 2
  }
}

data "aws_iam_policy_document" "assume" {
  count = var.create_iam_role ? 1 : 0

  dynamic "statement" {
    for_each = { ec2 = "ec2.amazonaws.com" }
    content {
      sid     = "EKSNodeAssumeRole"
      actions = ["sts:AssumeRole"]
      principals {
        type        = "Service"
        identifiers = [statement.value]
      }
    }
  }
}

resource "aws_iam_role" "this" {
  count = var.create_iam_role ? 1 : 0

  name_prefix        = "${var.name}-"
  assume_role_policy = data.aws_iam_policy_document.assume[0].json
}

resource "aws_iam_role_policy_attachment" "this" {
  for_each = { for k, v in merge(local.node_policies, var.iam_role_additional_policies) : k => v if var.create_iam_role }

  policy_arn = each.value
  role       = aws_iam_role.this[0].name
}
