output "node_group_arn" {
  value = aws_eks_node_group.this.arn
}
