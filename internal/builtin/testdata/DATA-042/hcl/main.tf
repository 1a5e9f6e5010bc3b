variable "encryption_type" {
  type = string
}

resource "aws_kms_key" "ecr" {
  enable_key_rotation = true
}

resource "aws_ecr_repository" "aes" { # want DATA-042
  name = "aes"
}

resource "aws_ecr_repository" "awsmanaged" {
  name = "awsmanaged"
  encryption_configuration {
    encryption_type = "KMS" # want DATA-042
  }
}

resource "aws_ecr_repository" "customer" {
  name = "customer"
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.ecr.arn # want +DATA-042
  }
}

resource "aws_ecr_repository" "literal" {
  name = "literal"
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" # want +DATA-042
  }
}

resource "aws_ecr_repository" "typevar" {
  name = "typevar"
  encryption_configuration {
    encryption_type = var.encryption_type # want ?DATA-042
  }
}
