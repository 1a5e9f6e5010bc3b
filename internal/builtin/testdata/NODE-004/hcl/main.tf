resource "aws_subnet" "public" {
  map_public_ip_on_launch = true
}

resource "aws_subnet" "private" {
  map_public_ip_on_launch = false
}

variable "map_public" {}

resource "aws_subnet" "computed" {
  map_public_ip_on_launch = var.map_public
}

resource "aws_eks_node_group" "public" {
  subnet_ids = [aws_subnet.public.id, aws_subnet.private.id] # want NODE-004
}

resource "aws_eks_node_group" "private" {
  subnet_ids = [aws_subnet.private.id] # want +NODE-004
}

resource "aws_autoscaling_group" "computed" {
  vpc_zone_identifier = [aws_subnet.computed.id] # want ?NODE-004
}

resource "aws_launch_configuration" "pub" {
  associate_public_ip_address = true # want NODE-004
}

resource "aws_launch_template" "nic" {
  network_interfaces {
    associate_public_ip_address = "false" # want +NODE-004
  }
}
