resource "aws_s3_bucket" "this" {
  bucket = "acme-lake"
}

resource "aws_s3_bucket_acl" "this" {
  bucket = aws_s3_bucket.this.bucket
  acl    = "log-delivery-write" # want +DATA-001
}
