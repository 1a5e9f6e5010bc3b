# Without vpc_id, aws_default_security_group adopts the default VPC's
# group. (A plan shows that vpc_id as computed, so there this is unknown.)
resource "aws_default_vpc" "default" {}

resource "aws_default_security_group" "default" { # want +NET-006
}

resource "aws_vpc" "other" { # want NET-006
  cidr_block = "10.4.0.0/16"
}
