variable "scan" {
  type = bool
}

resource "aws_ecr_repository" "noscan" { # want DATA-040
  name                 = "noscan"
  image_tag_mutability = "IMMUTABLE"
}

resource "aws_ecr_repository" "off" {
  name                 = "off"
  image_tag_mutability = "IMMUTABLE"
  image_scanning_configuration {
    scan_on_push = false # want DATA-040
  }
}

resource "aws_ecr_repository" "on" {
  name                 = "on"
  image_tag_mutability = "IMMUTABLE"
  image_scanning_configuration {
    scan_on_push = true # want +DATA-040
  }
}

resource "aws_ecr_repository" "fromvar" {
  name                 = "fromvar"
  image_tag_mutability = "IMMUTABLE"
  image_scanning_configuration {
    scan_on_push = var.scan # want ?DATA-040
  }
}
