resource "aws_s3_bucket" "y" {
  count  = 2
  bucket = "y-${count.index}"
}
resource "aws_s3_bucket_versioning" "y" {
  count  = 2
  bucket = aws_s3_bucket.y[count.index].id
  versioning_configuration { status = "Enabled" }
}
resource "aws_s3_bucket" "lake" {
  for_each = toset(["raw", "curated"])
  bucket   = "lake-${each.key}"
}
resource "aws_s3_bucket_public_access_block" "lake" {
  for_each = aws_s3_bucket.lake
  bucket   = each.value.id
}
resource "aws_s3_bucket_versioning" "lake" {
  for_each = toset(["raw", "curated"])
  bucket   = aws_s3_bucket.lake[each.key].id
  versioning_configuration { status = "Enabled" }
}
