resource "aws_cloudtrail" "main" {
  name                  = "main"
  s3_bucket_name        = "bboq-prod-compliance-trail"
  is_multi_region_trail = true # want +AUD-001
}

resource "aws_cloudtrail" "default" { # want AUD-001
  name           = "default"
  s3_bucket_name = "bboq-prod-compliance-trail"
}

resource "aws_cloudtrail" "single" {
  name                  = "single"
  s3_bucket_name        = "bboq-prod-compliance-trail"
  is_multi_region_trail = false # want AUD-001
}

variable "multi_region" {}

resource "aws_cloudtrail" "variable" {
  name                  = "variable"
  s3_bucket_name        = "bboq-prod-compliance-trail"
  is_multi_region_trail = var.multi_region # want ?AUD-001
}
