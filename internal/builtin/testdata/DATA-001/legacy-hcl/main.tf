# ACLs CloudFormation cannot write: the legacy acl and grant attributes of
# aws_s3_bucket, and grants in aws_s3_bucket_acl.

resource "aws_s3_bucket" "old" {
  bucket = "acme-old"
  acl    = "public-read-write" # want DATA-001
}

resource "aws_s3_bucket" "oldprivate" {
  bucket = "acme-old-private"
  acl    = "private" # want +DATA-001
}

resource "aws_s3_bucket" "granted" {
  bucket = "acme-granted"
  grant {
    type        = "Group"
    uri         = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers" # want DATA-001
    permissions = ["READ"]
  }
}

resource "aws_s3_bucket" "grants" {
  bucket = "acme-grants"
}

resource "aws_s3_bucket_acl" "grants" {
  bucket = aws_s3_bucket.grants.id
  access_control_policy {
    grant {
      grantee {
        type = "CanonicalUser"
        id   = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
      }
      permission = "FULL_CONTROL"
    }
    grant {
      grantee {
        type = "Group"
        uri  = "http://acs.amazonaws.com/groups/global/AllUsers" # want DATA-001
      }
      permission = "READ"
    }
    owner {
      id = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
    }
  }
}

variable "grantee_uri" {
  type = string
}

resource "aws_s3_bucket" "unknowngrant" {
  bucket = "acme-unknown-grant"
}

resource "aws_s3_bucket_acl" "unknowngrant" {
  bucket = aws_s3_bucket.unknowngrant.id
  access_control_policy {
    grant {
      grantee {
        type = "Group"
        uri  = var.grantee_uri # want ?DATA-001
      }
      permission = "READ"
    }
    owner {
      id = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
    }
  }
}
