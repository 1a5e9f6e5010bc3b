# The account-level block turns on the settings the buckets' own blocks
# leave off. CloudFormation has no account-level block: no cfn twin.
resource "aws_s3_account_public_access_block" "this" {
  block_public_acls   = true
  ignore_public_acls  = true
  block_public_policy = var.account_policy # want ?DATA-003
}

variable "account_policy" {
  type = bool
}

# Its own block adds the two settings the account leaves off, except
# block_public_policy, known only after apply at the account level.
resource "aws_s3_bucket" "combined" {
  bucket = "acme-combined"
}

resource "aws_s3_bucket_public_access_block" "combined" {
  bucket                  = aws_s3_bucket.combined.id
  restrict_public_buckets = true
}

# Everything on in its own block: the account is not needed.
resource "aws_s3_bucket" "own" {
  bucket = "acme-own"
}

resource "aws_s3_bucket_public_access_block" "own" { # want +DATA-003
  bucket                  = aws_s3_bucket.own.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# No block of its own: restrict_public_buckets stays off.
resource "aws_s3_bucket" "bare" { # want DATA-003
  bucket = "acme-bare"
}
