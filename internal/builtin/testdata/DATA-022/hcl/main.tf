variable "ebs_default" {
  type = bool
}

resource "aws_ebs_encryption_by_default" "off" {
  enabled = false # want DATA-022
}

resource "aws_ebs_encryption_by_default" "on" {
  enabled = true # want +DATA-022
}

resource "aws_ebs_encryption_by_default" "fromvar" {
  enabled = var.ebs_default # want ?DATA-022
}
