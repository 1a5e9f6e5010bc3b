output "cluster_role_arn" {
  value = aws_iam_role.cluster.arn
}

output "node_role_arn" {
  value = aws_iam_role.node.arn
}

output "admin_role_arn" {
  value = aws_iam_role.admin.arn
}

output "ci_role_arn" {
  value = aws_iam_role.ci.arn
}
