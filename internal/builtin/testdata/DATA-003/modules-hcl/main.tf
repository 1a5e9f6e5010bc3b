# One module called twice: each call's block configures its own bucket.
module "a" {
  source   = "./bucket"
  name     = "acme-a"
  restrict = true
}

module "b" {
  source   = "./bucket"
  name     = "acme-b"
  restrict = false
}

# A block whose bucket is picked by a key the references do not carry: it
# configures one of the two pool buckets, the code does not say which, and
# neither may have a block of its own.
# No value: which bucket the policy is for is not known.
variable "which" {}

resource "aws_s3_bucket" "pool" { # want ?DATA-003 ?DATA-003
  for_each = toset(["x", "y"])
  bucket   = "acme-pool-${each.key}"
}

resource "aws_s3_bucket_public_access_block" "pick" {
  bucket                  = aws_s3_bucket.pool[var.which].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
