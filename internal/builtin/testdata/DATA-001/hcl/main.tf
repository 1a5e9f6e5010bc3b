# Twin of plan.json and cfn/template.yaml.

variable "acl" {
  type = string
}

# A canned public ACL with ACLs enabled (ObjectWriter).
resource "aws_s3_bucket" "public" {
  bucket = "acme-public"
}

resource "aws_s3_bucket_ownership_controls" "public" {
  bucket = aws_s3_bucket.public.id
  rule {
    object_ownership = "ObjectWriter"
  }
}

resource "aws_s3_bucket_acl" "public" {
  bucket = aws_s3_bucket.public.id
  acl    = "public-read" # want DATA-001
}

resource "aws_s3_bucket" "private" {
  bucket = "acme-private"
}

resource "aws_s3_bucket_acl" "private" {
  bucket = aws_s3_bucket.private.id
  acl    = "private" # want +DATA-001
}

# ACLs disabled: the public ACL has no effect.
resource "aws_s3_bucket" "enforced" {
  bucket = "acme-enforced"
}

resource "aws_s3_bucket_ownership_controls" "enforced" {
  bucket = aws_s3_bucket.enforced.id
  rule {
    object_ownership = "BucketOwnerEnforced" # want +DATA-001
  }
}

resource "aws_s3_bucket_acl" "enforced" {
  bucket = aws_s3_bucket.enforced.id
  acl    = "public-read"
}

# Public ACLs ignored by the bucket's public access block; both settings
# name the bucket literally.
resource "aws_s3_bucket" "ignored" {
  bucket = "acme-ignored"
}

resource "aws_s3_bucket_acl" "ignored" {
  bucket = "acme-ignored"
  acl    = "authenticated-read"
}

resource "aws_s3_bucket_public_access_block" "ignored" {
  bucket             = "acme-ignored"
  ignore_public_acls = true # want +DATA-001
}

# No ACL: private.
resource "aws_s3_bucket" "plain" { # want +DATA-001
  bucket = "acme-plain"
}

# for_each: each bucket's ACL is its own.
variable "sites" {
  default = {
    docs = "public-read"
    app  = "private"
  }
}

resource "aws_s3_bucket" "site" {
  for_each = var.sites
  bucket   = "acme-site-${each.key}"
}

resource "aws_s3_bucket_acl" "site" {
  for_each = var.sites
  bucket   = aws_s3_bucket.site[each.key].id
  acl      = each.value # want DATA-001 +DATA-001
}

# Known only after apply.
resource "aws_s3_bucket" "computed" {
  bucket = "acme-computed"
}

resource "aws_s3_bucket_acl" "computed" {
  bucket = aws_s3_bucket.computed.id
  acl    = var.acl # want ?DATA-001
}

# A bucket in a module: the module's ACL is private.
module "lake" {
  source = "./lake"
}
