variable "secret_key" {
  type = string
}

resource "aws_kms_key" "secrets" {
  enable_key_rotation = true
}

resource "aws_secretsmanager_secret" "plain" { # want DATA-010
  name = "plain"
}

resource "aws_secretsmanager_secret" "custom" {
  name       = "custom"
  kms_key_id = aws_kms_key.secrets.arn # want +DATA-010
}

resource "aws_secretsmanager_secret" "literal" {
  name       = "literal"
  kms_key_id = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" # want +DATA-010
}

resource "aws_secretsmanager_secret" "managed" {
  name       = "managed"
  kms_key_id = "alias/aws/secretsmanager" # want DATA-010
}

resource "aws_secretsmanager_secret" "fromvar" {
  name       = "fromvar"
  kms_key_id = var.secret_key # want ?DATA-010
}

resource "aws_secretsmanager_secret" "replicated" {
  name       = "replicated"
  kms_key_id = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  replica {
    region     = "eu-west-2"
    kms_key_id = "arn:aws:kms:eu-west-2:111122223333:key/mrk-1234"
  }
  replica { # want DATA-010
    region = "eu-central-1"
  }
}
