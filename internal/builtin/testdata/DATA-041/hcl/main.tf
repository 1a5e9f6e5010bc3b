variable "mutability" {
  type = string
}

resource "aws_ecr_repository" "mutable" { # want DATA-041
  name = "mutable"
}

resource "aws_ecr_repository" "immutable" {
  name                 = "immutable"
  image_tag_mutability = "IMMUTABLE" # want +DATA-041
}

resource "aws_ecr_repository" "exclusion" {
  name                 = "exclusion"
  image_tag_mutability = "IMMUTABLE_WITH_EXCLUSION" # want +DATA-041
  image_tag_mutability_exclusion_filter {
    filter      = "latest"
    filter_type = "WILDCARD"
  }
}

resource "aws_ecr_repository" "fromvar" {
  name                 = "fromvar"
  image_tag_mutability = var.mutability # want ?DATA-041
}
