resource "aws_cloudwatch_log_group" "trail" {
  name              = "/aws/cloudtrail/main"
  retention_in_days = 365
}

resource "aws_cloudtrail" "main" {
  name                       = "main"
  s3_bucket_name             = "bboq-prod-compliance-trail"
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*" # want +AUD-004
  cloud_watch_logs_role_arn  = "arn:aws:iam::123456654321:role/trail-to-cloudwatch"
}

resource "aws_cloudtrail" "s3_only" { # want AUD-004
  name           = "s3_only"
  s3_bucket_name = "bboq-prod-compliance-trail"
}

variable "log_group_arn" {}

resource "aws_cloudtrail" "variable" {
  name                       = "variable"
  s3_bucket_name             = "bboq-prod-compliance-trail"
  cloud_watch_logs_group_arn = var.log_group_arn # want ?AUD-004
  cloud_watch_logs_role_arn  = "arn:aws:iam::123456654321:role/trail-to-cloudwatch"
}
