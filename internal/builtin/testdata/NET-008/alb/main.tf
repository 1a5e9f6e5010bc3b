# aws_alb is the older name of aws_lb; CloudFormation has one type.
resource "aws_alb" "legacy" { # want NET-008
  name = "legacy"
}

resource "aws_alb" "legacy_private" {
  name     = "legacy-private"
  internal = true # want +NET-008
}
