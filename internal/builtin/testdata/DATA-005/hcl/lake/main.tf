resource "aws_s3_bucket" "this" {
  bucket = "acme-lake"
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "DenyInsecureTransport", Effect = "Deny", Principal = "*", Action = "s3:*", Resource = ["arn:aws:s3:::acme-lake", "arn:aws:s3:::acme-lake/*"], Condition = { Bool = { "aws:SecureTransport" = "false" } } }, # want +DATA-005
    ]
  })
}
