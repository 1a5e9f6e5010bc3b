resource "aws_vpc" "main" { # want +NET-005
  cidr_block = "10.0.0.0/16"
}

resource "aws_flow_log" "main" {
  vpc_id               = aws_vpc.main.id
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = "arn:aws:s3:::acme-flow-logs"
}

resource "aws_vpc" "unlogged" { # want NET-005
  cidr_block = "10.1.0.0/16"
}

# A flow log on one subnet does not cover the VPC.
resource "aws_vpc" "subnet_only" { # want NET-005
  cidr_block = "10.2.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.subnet_only.id
  cidr_block = "10.2.1.0/24"
}

resource "aws_flow_log" "subnet" {
  subnet_id            = aws_subnet.a.id
  traffic_type         = "REJECT"
  log_destination_type = "s3"
  log_destination      = "arn:aws:s3:::acme-flow-logs"
}
