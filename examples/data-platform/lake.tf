module "zone" {
  source   = "./modules/bucket"
  for_each = var.zones

  name        = "${var.org}-${var.env}-lake-${each.key}"
  sse         = each.value.sse
  kms_key_arn = aws_kms_key.lake.arn
}

# Access logs of every bucket. Its settings are written against the bucket
# name, as the team's older stacks do.
resource "aws_s3_bucket" "logs" {
  bucket = "acme-prod-s3-access-logs"
}

resource "aws_s3_bucket_public_access_block" "logs" {
  bucket                  = "acme-prod-s3-access-logs"
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = "acme-prod-s3-access-logs"
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}
