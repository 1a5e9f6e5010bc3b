resource "aws_launch_configuration" "workers" {
  count = 1
  root_block_device {
    encrypted   = false # want NODE-003
    volume_size = 100
  }
}

resource "aws_instance" "noroot" { # want NODE-003
  instance_type = "t3.micro"
}

variable "sdc_encrypted" {}

resource "aws_instance" "enc" {
  root_block_device {
    encrypted = true # want +NODE-003
  }
  ebs_block_device {
    device_name = "/dev/sdb"
    encrypted   = false # want NODE-003
  }
  ebs_block_device {
    device_name = "/dev/sdc"
    encrypted   = var.sdc_encrypted # want ?NODE-003
  }
}

resource "aws_launch_template" "nomap" { # want ?NODE-003
  name = "nomap"
}

resource "aws_launch_template" "map" {
  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      encrypted = "true" # want +NODE-003
    }
  }
}

resource "aws_ebs_volume" "data" { # want NODE-003
  size = 10
}
