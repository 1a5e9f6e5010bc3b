# The keys' policies are set by aws_kms_key_policy resources, judged in
# place of the keys.
resource "aws_kms_key" "shared" {
  enable_key_rotation = true
}

resource "aws_kms_key_policy" "shared" {
  key_id = aws_kms_key.shared.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ # want DATA-020
      Sid       = "Vendor"
      Effect    = "Allow"
      Principal = "*"
      Action    = ["kms:Decrypt"]
      Resource  = "*"
    }]
  })
}

resource "aws_kms_key" "scoped" {
  enable_key_rotation = true
}

resource "aws_kms_key_policy" "scoped" {
  key_id = aws_kms_key.scoped.id
  policy = jsonencode({ # want +DATA-020
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:role/app" }
      Action    = ["kms:Decrypt"]
      Resource  = "*"
    }]
  })
}

variable "policy" {
  type = string
}

resource "aws_kms_key_policy" "computed" {
  key_id = "1234abcd-12ab-34cd-56ef-1234567890ab"
  policy = var.policy # want ?DATA-020
}

# No policy in the code: the default key policy.
resource "aws_kms_key" "alone" { # want +DATA-020
  enable_key_rotation = true
}
