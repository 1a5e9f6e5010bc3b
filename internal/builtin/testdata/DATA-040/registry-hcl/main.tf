# Enhanced scanning decides which repositories are scanned; their own
# scan_on_push no longer counts. A filter without * matches names that
# contain it.
variable "suffix" {
  type = string
}

resource "aws_ecr_registry_scanning_configuration" "this" {
  scan_type = "ENHANCED"
  rule {
    scan_frequency = "SCAN_ON_PUSH"
    repository_filter {
      filter      = "prod"
      filter_type = "WILDCARD"
    }
  }
  rule {
    scan_frequency = "CONTINUOUS_SCAN"
    repository_filter {
      filter      = "team-*"
      filter_type = "WILDCARD"
    }
  }
}

resource "aws_ecr_repository" "prodapi" { # want +DATA-040
  name = "svc/prod-api"
}

resource "aws_ecr_repository" "teamweb" { # want +DATA-040
  name = "team-web"
}

resource "aws_ecr_repository" "sandbox" {
  name = "sandbox"
  image_scanning_configuration {
    scan_on_push = true # want DATA-040
  }
}

resource "aws_ecr_repository" "unnamed" { # want ?DATA-040
  name = "svc-${var.suffix}"
}
