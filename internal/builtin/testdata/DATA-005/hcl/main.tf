# Twin of plan.json and cfn/template.yaml.

variable "secure" {
  type = string
}

# The deny, written as a policy document.
resource "aws_s3_bucket" "tls" {
  bucket = "acme-tls"
}

data "aws_iam_policy_document" "tls" {
  statement { # want +DATA-005
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.tls.arn, "${aws_s3_bucket.tls.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "tls" {
  bucket = aws_s3_bucket.tls.id
  policy = data.aws_iam_policy_document.tls.json
}

# Allows only.
resource "aws_s3_bucket" "open" {
  bucket = "acme-open"
}

resource "aws_s3_bucket_policy" "open" {
  bucket = aws_s3_bucket.open.id
  policy = jsonencode({ # want DATA-005
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:role/reader" }
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::acme-open/*"
    }]
  })
}

# No policy at all.
resource "aws_s3_bucket" "none" { # want DATA-005
  bucket = "acme-none"
}

# Denies only some actions, only the bucket, or only outside an endpoint.
resource "aws_s3_bucket" "partial" {
  bucket = "acme-partial"
}

resource "aws_s3_bucket_policy" "partial" {
  bucket = aws_s3_bucket.partial.id
  policy = jsonencode({ # want DATA-005
    Version = "2012-10-17"
    Statement = [
      { Effect = "Deny", Principal = "*", Action = ["s3:GetObject", "s3:PutObject"], Resource = "arn:aws:s3:::acme-partial/*", Condition = { Bool = { "aws:SecureTransport" = "false" } } },
      { Effect = "Deny", Principal = "*", Action = "s3:*", Resource = "arn:aws:s3:::acme-partial", Condition = { Bool = { "aws:SecureTransport" = "false" } } },
      { Effect = "Deny", Principal = "*", Action = "s3:*", Resource = "arn:aws:s3:::acme-partial/*", Condition = { Bool = { "aws:SecureTransport" = "false" }, StringNotEquals = { "aws:SourceVpce" = "vpce-0a1b2c3d4e5f67890" } } },
    ]
  })
}

# Linked by the bucket's literal name.
resource "aws_s3_bucket" "literal" {
  bucket = "acme-literal"
}

resource "aws_s3_bucket_policy" "literal" {
  bucket = "acme-literal"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Deny", Principal = { AWS = "*" }, Action = "*", Resource = ["arn:aws:s3:::acme-literal", "arn:aws:s3:::acme-literal/*"], Condition = { Bool = { "aws:SecureTransport" = false } } }, # want +DATA-005
    ]
  })
}

# for_each: the raw zone's deny is right, the curated zone's tests the
# wrong value.
variable "zones" {
  default = {
    raw     = "false"
    curated = "true"
  }
}

resource "aws_s3_bucket" "zone" {
  for_each = var.zones
  bucket   = "acme-zone-${each.key}"
}

resource "aws_s3_bucket_policy" "zone" {
  for_each = var.zones
  bucket   = aws_s3_bucket.zone[each.key].id
  policy = jsonencode({ # want DATA-005
    Version = "2012-10-17"
    Statement = [
      { Effect = "Deny", Principal = "*", Action = "s3:*", Resource = "arn:aws:s3:::acme-zone-${each.key}/*", Condition = { Bool = { "aws:SecureTransport" = each.value } } }, # want +DATA-005
    ]
  })
}

resource "aws_s3_bucket" "computed" {
  bucket = "acme-computed"
}

resource "aws_s3_bucket_policy" "computed" {
  bucket = aws_s3_bucket.computed.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Deny", Principal = "*", Action = "s3:*", Resource = "arn:aws:s3:::acme-computed/*", Condition = { Bool = { "aws:SecureTransport" = var.secure } } }, # want ?DATA-005
    ]
  })
}

# Two buckets written with the same name: the policy refers to the first
# by its bucket attribute, and is not taken for the second's.
resource "aws_s3_bucket" "twin_a" {
  bucket = "acme-twin"
}

resource "aws_s3_bucket_policy" "twin_a" {
  bucket = aws_s3_bucket.twin_a.bucket
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Deny", Principal = "*", Action = "s3:*", Resource = ["arn:aws:s3:::acme-twin", "arn:aws:s3:::acme-twin/*"], Condition = { Bool = { "aws:SecureTransport" = "false" } } }, # want +DATA-005
    ]
  })
}

resource "aws_s3_bucket" "twin_b" { # want DATA-005
  bucket = "acme-twin"
}

module "lake" {
  source = "./lake"
}
