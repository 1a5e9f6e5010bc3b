# All four settings on for the account: every bucket passes, and the pass
# points at the account-level block. No cfn twin: CloudFormation has no
# account-level block.
resource "aws_s3_account_public_access_block" "this" { # want +DATA-003 +DATA-003
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket" "bare" {
  bucket = "acme-bare"
}

resource "aws_s3_bucket" "loose" {
  bucket = "acme-loose"
}

resource "aws_s3_bucket_public_access_block" "loose" {
  bucket            = aws_s3_bucket.loose.id
  block_public_acls = false
}
