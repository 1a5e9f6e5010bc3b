resource "aws_ecr_repository" "this" {
  for_each             = var.ecr_repositories
  name                 = "${var.org}/${each.key}"
  image_tag_mutability = each.value.immutable ? "IMMUTABLE" : "MUTABLE"

  image_scanning_configuration {
    scan_on_push = each.value.scan
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.lake.arn
  }
}
