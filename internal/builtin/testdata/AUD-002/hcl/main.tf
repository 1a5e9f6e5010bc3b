resource "aws_cloudtrail" "main" {
  name                       = "main"
  s3_bucket_name             = "bboq-prod-compliance-trail"
  enable_log_file_validation = true # want +AUD-002
}

resource "aws_cloudtrail" "default" { # want AUD-002
  name           = "default"
  s3_bucket_name = "bboq-prod-compliance-trail"
}

resource "aws_cloudtrail" "single" {
  name                       = "single"
  s3_bucket_name             = "bboq-prod-compliance-trail"
  enable_log_file_validation = false # want AUD-002
}

variable "validation" {}

resource "aws_cloudtrail" "variable" {
  name                       = "variable"
  s3_bucket_name             = "bboq-prod-compliance-trail"
  enable_log_file_validation = var.validation # want ?AUD-002
}
