# Twin of plan.json and cfn/template.yaml.

variable "reader" {
  type = string
}

resource "aws_s3_bucket" "open" {
  bucket = "acme-open"
}

resource "aws_s3_bucket_policy" "open" {
  bucket = aws_s3_bucket.open.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Tls", Effect = "Deny", Principal = "*", Action = "s3:*", Resource = "${aws_s3_bucket.open.arn}/*", Condition = { Bool = { "aws:SecureTransport" = "false" } } },
      { Sid = "Public", Effect = "Allow", Principal = { AWS = "*" }, Action = "s3:GetObject", Resource = "${aws_s3_bucket.open.arn}/*" }, # want DATA-002
    ]
  })
}

# Everyone, but only through the VPC endpoint.
resource "aws_s3_bucket" "vpce" {
  bucket = "acme-vpce"
}

resource "aws_s3_bucket_policy" "vpce" {
  bucket = aws_s3_bucket.vpce.id
  policy = jsonencode({ # want +DATA-002
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.vpce.arn}/*"
      Condition = { StringEquals = { "aws:SourceVpce" = "vpce-0a1b2c3d4e5f67890" } }
    }]
  })
}

# A named role, through a policy document.
resource "aws_s3_bucket" "role" {
  bucket = "acme-role"
}

data "aws_iam_policy_document" "role" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.role.arn}/*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:role/reader"]
    }
  }
}

resource "aws_s3_bucket_policy" "role" {
  bucket = aws_s3_bucket.role.id
  policy = data.aws_iam_policy_document.role.json # want +DATA-002
}

# Public, but the bucket's block restricts public policies to the account.
resource "aws_s3_bucket" "restricted" {
  bucket = "acme-restricted"
}

resource "aws_s3_bucket_public_access_block" "restricted" {
  bucket                  = aws_s3_bucket.restricted.id
  restrict_public_buckets = true # want +DATA-002
}

resource "aws_s3_bucket_policy" "restricted" {
  bucket = aws_s3_bucket.restricted.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "${aws_s3_bucket.restricted.arn}/*" }]
  })
}

# The same through the bucket's literal name: the policy and the block
# meet at the bucket.
resource "aws_s3_bucket" "literal" {
  bucket = "acme-literal"
}

resource "aws_s3_bucket_public_access_block" "literal" {
  bucket                  = aws_s3_bucket.literal.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true # want +DATA-002
}

resource "aws_s3_bucket_policy" "literal" {
  bucket = "acme-literal"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "arn:aws:s3:::acme-literal/*" }]
  })
}

# A principal known only after apply.
resource "aws_s3_bucket" "computed" {
  bucket = "acme-computed"
}

resource "aws_s3_bucket_policy" "computed" {
  bucket = aws_s3_bucket.computed.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Principal = { AWS = var.reader }, Action = "s3:GetObject", Resource = "${aws_s3_bucket.computed.arn}/*" }, # want ?DATA-002
    ]
  })
}

# for_each: each bucket's policy is judged with its own bucket.
variable "sites" {
  default = {
    docs = "*"
    app  = "arn:aws:iam::111122223333:role/app"
  }
}

resource "aws_s3_bucket" "site" {
  for_each = var.sites
  bucket   = "acme-site-${each.key}"
}

resource "aws_s3_bucket_policy" "site" {
  for_each = var.sites
  bucket   = aws_s3_bucket.site[each.key].id
  policy = jsonencode({ # want +DATA-002
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Principal = { AWS = each.value }, Action = "s3:GetObject", Resource = "${aws_s3_bucket.site[each.key].arn}/*" }, # want DATA-002
    ]
  })
}

module "lake" {
  source = "./lake"
}

# Conditions whose patterns every principal meets limit nothing: an
# aws:PrincipalArn pattern with a wildcard account, and an IfExists test of
# a key that requests outside a VPC endpoint do not carry.
resource "aws_s3_bucket" "anyarn" {
  bucket = "acme-anyarn"
}

resource "aws_s3_bucket_policy" "anyarn" {
  bucket = aws_s3_bucket.anyarn.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "${aws_s3_bucket.anyarn.arn}/*", Condition = { ArnLike = { "aws:PrincipalArn" = "arn:aws:iam::*" } } }, # want DATA-002
    ]
  })
}

resource "aws_s3_bucket" "ifexists" {
  bucket = "acme-ifexists"
}

resource "aws_s3_bucket_policy" "ifexists" {
  bucket = aws_s3_bucket.ifexists.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "${aws_s3_bucket.ifexists.arn}/*", Condition = { StringEqualsIfExists = { "aws:SourceVpce" = "vpce-0a1b2c3d4e5f67890" } } }, # want DATA-002
    ]
  })
}

# A pattern confined to one account limits.
resource "aws_s3_bucket" "accountroles" {
  bucket = "acme-accountroles"
}

resource "aws_s3_bucket_policy" "accountroles" {
  bucket = aws_s3_bucket.accountroles.id
  policy = jsonencode({ # want +DATA-002
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "${aws_s3_bucket.accountroles.arn}/*", Condition = { ArnLike = { "aws:PrincipalArn" = "arn:aws:iam::111122223333:role/*" } } },
    ]
  })
}

# A role of this code, whose ARN is known but for the account: not
# everyone, whatever the account.
resource "aws_iam_role" "reader" {
  name               = "reader"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}

resource "aws_s3_bucket" "ownrole" {
  bucket = "acme-ownrole"
}

resource "aws_s3_bucket_policy" "ownrole" {
  bucket = aws_s3_bucket.ownrole.id
  policy = jsonencode({ # want +DATA-002
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Principal = { AWS = aws_iam_role.reader.arn }, Action = "s3:GetObject", Resource = "${aws_s3_bucket.ownrole.arn}/*" },
    ]
  })
}

# A pattern known only after apply may be a wildcard.
variable "org_pattern" {
  type = string
}

resource "aws_s3_bucket" "orgpattern" {
  bucket = "acme-orgpattern"
}

resource "aws_s3_bucket_policy" "orgpattern" {
  bucket = aws_s3_bucket.orgpattern.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "${aws_s3_bucket.orgpattern.arn}/*", Condition = { StringLike = { "aws:PrincipalOrgID" = var.org_pattern } } }, # want ?DATA-002
    ]
  })
}
