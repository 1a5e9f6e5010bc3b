# IAM-023: long-lived access keys of IAM users.
variable "key_status" {} # no default: known only after apply

resource "aws_iam_user" "ci" {
  name = "ci"
}

resource "aws_iam_access_key" "ci" {
  user = aws_iam_user.ci.name # want IAM-023
}

resource "aws_iam_user" "legacy" {
  name = "legacy"
}

resource "aws_iam_access_key" "legacy" {
  user   = aws_iam_user.legacy.name
  status = "Inactive" # want +IAM-023
}

resource "aws_iam_user" "vendor" {
  name = "vendor"
}

resource "aws_iam_access_key" "vendor" {
  user   = aws_iam_user.vendor.name
  status = var.key_status # want ?IAM-023
}

resource "aws_iam_user" "console_only" { # want +IAM-023
  name = "console-only"
}
