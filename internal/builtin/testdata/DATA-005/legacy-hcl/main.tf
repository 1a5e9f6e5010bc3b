# Cases CloudFormation cannot write: the legacy policy attribute of
# aws_s3_bucket, and policies whose bucket is one of several.

resource "aws_s3_bucket" "old" {
  bucket = "acme-old"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Deny", Principal = "*", Action = "s3:*", Resource = "arn:aws:s3:::acme-old/*", Condition = { Bool = { "aws:SecureTransport" = "false" } } }, # want +DATA-005
    ]
  })
}

# No value: which bucket the policy is for is not known.
variable "which" {}

# The policy denies plain HTTP, but which pool bucket it is for is not
# known: each may have no policy.
resource "aws_s3_bucket" "pool" { # want ?DATA-005 ?DATA-005
  for_each = toset(["x", "y"])
  bucket   = "acme-pool-${each.key}"
}

resource "aws_s3_bucket_policy" "pick" {
  bucket = aws_s3_bucket.pool[var.which].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Deny", Principal = "*", Action = "s3:*", Resource = "arn:aws:s3:::acme-pool-*/*", Condition = { Bool = { "aws:SecureTransport" = "false" } } },
    ]
  })
}

# Neither possible policy denies plain HTTP: each bucket fails either way.
resource "aws_s3_bucket" "shard" { # want DATA-005 DATA-005
  count  = 2
  bucket = "acme-shard-${count.index}"
}

resource "aws_s3_bucket_policy" "shard" {
  bucket = aws_s3_bucket.shard[var.which == "x" ? 0 : 1].id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:role/reader" }, Action = "s3:GetObject", Resource = "arn:aws:s3:::acme-shard-*/*" }]
  })
}
