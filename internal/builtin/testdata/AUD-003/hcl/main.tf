resource "aws_kms_key" "trail" {
  enable_key_rotation = true
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "bboq-prod-compliance-trail"
  kms_key_id     = aws_kms_key.trail.arn # want +AUD-003
}

resource "aws_cloudtrail" "by_arn" {
  name           = "by_arn"
  s3_bucket_name = "bboq-prod-compliance-trail"
  kms_key_id     = "arn:aws:kms:eu-west-1:123456654321:key/0b7d3a51-0000-4000-8000-000000000000" # want +AUD-003
}

resource "aws_cloudtrail" "sse_s3" { # want AUD-003
  name           = "sse_s3"
  s3_bucket_name = "bboq-prod-compliance-trail"
}

variable "trail_key" {}

resource "aws_cloudtrail" "variable" {
  name           = "variable"
  s3_bucket_name = "bboq-prod-compliance-trail"
  kms_key_id     = var.trail_key # want ?AUD-003
}
