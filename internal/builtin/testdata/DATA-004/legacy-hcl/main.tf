# Cases CloudFormation cannot write: the inline block of provider v3, an
# AWS managed key looked up by a data source, and a configuration whose
# bucket is one of several.

resource "aws_s3_bucket" "old" {
  bucket = "acme-old"
  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm = "AES256" # want DATA-004
      }
    }
  }
}

data "aws_kms_alias" "s3" {
  name = "alias/aws/s3"
}

resource "aws_s3_bucket" "lookup" {
  bucket = "acme-lookup"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "lookup" {
  bucket = aws_s3_bucket.lookup.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = data.aws_kms_alias.s3.target_key_arn # want DATA-004
    }
  }
}

# No value: which bucket the policy is for is not known.
variable "which" {}

resource "aws_s3_bucket" "pool" { # want ?DATA-004 ?DATA-004
  for_each = toset(["x", "y"])
  bucket   = "acme-pool-${each.key}"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "pick" {
  bucket = aws_s3_bucket.pool[var.which].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    }
  }
}
