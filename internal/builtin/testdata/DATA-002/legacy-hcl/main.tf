# Cases CloudFormation cannot write: the legacy policy attribute of
# aws_s3_bucket, and a policy whose bucket is one of several.

resource "aws_s3_bucket" "old" {
  bucket = "acme-old"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "arn:aws:s3:::acme-old/*" }, # want DATA-002
    ]
  })
}

# No value: which bucket the policy is for is not known.
variable "which" {}

resource "aws_s3_bucket" "pool" {
  for_each = toset(["x", "y"])
  bucket   = "acme-pool-${each.key}"
}

resource "aws_s3_bucket_public_access_block" "pool" {
  for_each                = aws_s3_bucket.pool
  bucket                  = each.value.id
  restrict_public_buckets = each.key == "x"
}

# Public, for pool x or pool y: only x restricts public policies.
resource "aws_s3_bucket_policy" "pick" {
  bucket = aws_s3_bucket.pool[var.which].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "arn:aws:s3:::acme-pool-*/*" }, # want ?DATA-002
    ]
  })
}
