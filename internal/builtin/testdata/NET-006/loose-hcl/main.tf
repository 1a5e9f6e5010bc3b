variable "vpc_id" {}

# The VPC of this default group is not knowable: it may be aws_vpc.maybe.
resource "aws_default_security_group" "elsewhere" { # want +NET-006
  vpc_id = var.vpc_id
}

resource "aws_vpc" "maybe" { # want ?NET-006
  cidr_block = "10.3.0.0/16"
}
