# Twin of plan.json and cfn/template.yaml.

variable "block_acls" {
  type = bool
}

# All four settings on, linked by reference.
resource "aws_s3_bucket" "full" {
  bucket = "acme-full"
}

resource "aws_s3_bucket_public_access_block" "full" { # want +DATA-003
  bucket                  = aws_s3_bucket.full.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# One setting written false, one left out (false by default).
resource "aws_s3_bucket" "partial" {
  bucket = "acme-partial"
}

resource "aws_s3_bucket_public_access_block" "partial" {
  bucket              = aws_s3_bucket.partial.id
  block_public_acls   = true
  block_public_policy = false # want DATA-003
  ignore_public_acls  = true
}

# No block at all: the block of another bucket, named literally, does not
# count for this one.
resource "aws_s3_bucket" "bare" { # want DATA-003
  bucket = "acme-bare"
}

# Linked by the bucket's literal name.
resource "aws_s3_bucket" "literal" {
  bucket = "acme-literal"
}

resource "aws_s3_bucket_public_access_block" "literal" { # want +DATA-003
  bucket                  = "acme-literal"
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# for_each: each instance's block configures its own bucket only, so the
# curated zone's gap does not spill over to the raw zone.
variable "zones" {
  default = {
    raw     = { restrict = true }
    curated = { restrict = false }
  }
}

resource "aws_s3_bucket" "zone" {
  for_each = var.zones
  bucket   = "acme-zone-${each.key}"
}

resource "aws_s3_bucket_public_access_block" "zone" { # want +DATA-003
  for_each                = var.zones
  bucket                  = aws_s3_bucket.zone[each.key].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = each.value.restrict # want DATA-003
}

# count: the same, by index.
resource "aws_s3_bucket" "archive" {
  count  = 2
  bucket = "acme-archive-${count.index}"
}

resource "aws_s3_bucket_public_access_block" "archive" { # want +DATA-003
  count                   = 2
  bucket                  = aws_s3_bucket.archive[count.index].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = count.index == 0 # want DATA-003
  restrict_public_buckets = true
}

# Two buckets written with the same name: each block refers to its own
# bucket, by its bucket attribute or by id, and is not taken for the
# other's.
resource "aws_s3_bucket" "twin_a" {
  bucket = "acme-twin"
}

resource "aws_s3_bucket_public_access_block" "twin_a" { # want +DATA-003
  bucket                  = aws_s3_bucket.twin_a.bucket
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket" "twin_b" {
  bucket = "acme-twin"
}

resource "aws_s3_bucket_public_access_block" "twin_b" {
  bucket                  = aws_s3_bucket.twin_b.id
  block_public_acls       = true
  block_public_policy     = false # want DATA-003
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# A bucket and its block inside a module.
module "lake" {
  source = "./lake"
  name   = "acme-lake"
}

# A setting known only after apply.
resource "aws_s3_bucket" "computed" {
  bucket = "acme-computed"
}

resource "aws_s3_bucket_public_access_block" "computed" {
  bucket                  = aws_s3_bucket.computed.id
  block_public_acls       = var.block_acls # want ?DATA-003
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# Not judged: a bucket read, not managed, by this code.
data "aws_s3_bucket" "existing" {
  bucket = "acme-existing"
}
