data "aws_caller_identity" "current" {}

resource "aws_kms_key" "lake" {
  description         = "Data lake objects"
  enable_key_rotation = true
}

resource "aws_kms_alias" "lake" {
  name          = "alias/${var.org}-${var.env}-lake"
  target_key_id = aws_kms_key.lake.key_id
}

resource "aws_kms_key" "secrets" {
  description         = "Application secrets"
  enable_key_rotation = true
}

# Imported from the old analytics account; rotation was never turned on.
resource "aws_kms_key" "legacy" {
  description = "Legacy analytics exports"
}

# Shared with the BI vendor: the policy lets anyone use the key.
resource "aws_kms_key" "shared" {
  description         = "BI extracts"
  enable_key_rotation = true
}

resource "aws_kms_key_policy" "shared" {
  key_id = aws_kms_key.shared.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Admin"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "Vendor"
        Effect    = "Allow"
        Principal = "*"
        Action    = ["kms:Decrypt", "kms:DescribeKey"]
        Resource  = "*"
      }
    ]
  })
}

resource "aws_ebs_encryption_by_default" "this" {
  enabled = true
}
