variable "rotate" {
  type = bool
}

variable "spec" {
  type = string
}

resource "aws_kms_key" "off" { # want DATA-021
  description = "rotation left at the provider default"
}

resource "aws_kms_key" "on" {
  enable_key_rotation     = true # want +DATA-021
  rotation_period_in_days = 180
}

resource "aws_kms_key" "fromvar" {
  enable_key_rotation = var.rotate # want ?DATA-021
}

# Asymmetric and HMAC keys cannot rotate automatically: no verdict.
resource "aws_kms_key" "signing" {
  customer_master_key_spec = "RSA_2048"
  key_usage                = "SIGN_VERIFY"
}

resource "aws_kms_key" "mac" {
  customer_master_key_spec = "HMAC_256"
  key_usage                = "GENERATE_VERIFY_MAC"
}

resource "aws_kms_key" "specvar" {
  customer_master_key_spec = var.spec
  enable_key_rotation      = false # want ?DATA-021
}

# Keys in a custom key store cannot rotate automatically either.
resource "aws_kms_key" "hsm" {
  custom_key_store_id = "cks-1234567890abcdef0"
}
