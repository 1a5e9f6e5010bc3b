# Twin of plan.json and cfn/template.yaml.

variable "sse" {
  type = string
}

resource "aws_kms_key" "s3" {
  description         = "S3 default encryption"
  enable_key_rotation = true
}

# A customer key declared in the code.
resource "aws_s3_bucket" "kms" {
  bucket = "acme-kms"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "kms" {
  bucket = aws_s3_bucket.kms.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.s3.arn # want +DATA-004
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket" "aes" {
  bucket = "acme-aes"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "aes" {
  bucket = aws_s3_bucket.aes.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256" # want DATA-004
    }
  }
}

# aws:kms without a key: the AWS managed key aws/s3.
resource "aws_s3_bucket" "managed" {
  bucket = "acme-managed"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "managed" {
  bucket = aws_s3_bucket.managed.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms" # want DATA-004
    }
  }
}

resource "aws_s3_bucket" "alias" {
  bucket = "acme-alias"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "alias" {
  bucket = aws_s3_bucket.alias.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = "alias/aws/s3" # want DATA-004
    }
  }
}

# Dual-layer encryption with a customer key given by ARN.
resource "aws_s3_bucket" "dsse" {
  bucket = "acme-dsse"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "dsse" {
  bucket = aws_s3_bucket.dsse.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms:dsse"
      kms_master_key_id = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" # want +DATA-004
    }
  }
}

# No configuration: SSE-S3 by default.
resource "aws_s3_bucket" "none" { # want DATA-004
  bucket = "acme-none"
}

# Configured through the bucket's literal name.
resource "aws_s3_bucket" "literal" {
  bucket = "acme-literal"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "literal" {
  bucket = "acme-literal"
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = "arn:aws:kms:eu-west-1:111122223333:alias/acme-s3" # want +DATA-004
    }
  }
}

# for_each: each zone's algorithm is its own.
variable "zones" {
  default = {
    raw     = "AES256"
    curated = "aws:kms"
  }
}

resource "aws_s3_bucket" "zone" {
  for_each = var.zones
  bucket   = "acme-zone-${each.key}"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "zone" {
  for_each = var.zones
  bucket   = aws_s3_bucket.zone[each.key].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = each.value                                              # want DATA-004
      kms_master_key_id = each.value == "AES256" ? null : aws_kms_key.s3.arn # want +DATA-004
    }
  }
}

resource "aws_s3_bucket" "computed" {
  bucket = "acme-computed"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "computed" {
  bucket = aws_s3_bucket.computed.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = var.sse # want ?DATA-004
    }
  }
}

module "lake" {
  source = "./lake"
}
