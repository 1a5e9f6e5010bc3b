variable "encrypt_copy" {
  type = bool
}

resource "aws_ebs_volume" "plain" {
  availability_zone = "eu-west-1a"
  size              = 50
}

resource "aws_ebs_volume" "enc" {
  availability_zone = "eu-west-1a"
  size              = 50
  encrypted         = true
}

resource "aws_ebs_snapshot" "plain" {
  volume_id = aws_ebs_volume.plain.id
}

resource "aws_ebs_snapshot" "enc" {
  volume_id = aws_ebs_volume.enc.id
}

# Copies of an unencrypted snapshot stay unencrypted unless they ask.
resource "aws_ebs_snapshot_copy" "copyplain" { # want DATA-023
  source_snapshot_id = aws_ebs_snapshot.plain.id
  source_region      = "eu-west-1"
}

# A copy of an encrypted snapshot is encrypted.
resource "aws_ebs_snapshot_copy" "copyenc" { # want +DATA-023
  source_snapshot_id = aws_ebs_snapshot.enc.id
  source_region      = "eu-west-1"
}

resource "aws_ebs_snapshot_copy" "asked" {
  source_snapshot_id = aws_ebs_snapshot.plain.id
  source_region      = "eu-west-1"
  encrypted          = true # want +DATA-023
  kms_key_id         = aws_kms_key.ebs.arn
}

resource "aws_kms_key" "ebs" {
  enable_key_rotation = true
}

resource "aws_ebs_snapshot_copy" "twice" { # want +DATA-023
  source_snapshot_id = aws_ebs_snapshot_copy.asked.id
  source_region      = "eu-west-2"
}

# The source is not in the code: the copy is as encrypted as it is.
resource "aws_ebs_snapshot_copy" "external" { # want ?DATA-023
  source_snapshot_id = "snap-0123456789abcdef0"
  source_region      = "eu-west-1"
}

resource "aws_ebs_snapshot_copy" "fromvar" {
  source_snapshot_id = "snap-0123456789abcdef0"
  source_region      = "eu-west-1"
  encrypted          = var.encrypt_copy # want ?DATA-023
}

resource "aws_ebs_snapshot_import" "disk" { # want DATA-023
  disk_container {
    format = "VHD"
    user_bucket {
      s3_bucket = "images"
      s3_key    = "disk.vhd"
    }
  }
}

resource "aws_ebs_snapshot_import" "diskenc" {
  disk_container {
    format = "VHD"
    user_bucket {
      s3_bucket = "images"
      s3_key    = "disk.vhd"
    }
  }
  encrypted = true # want +DATA-023
}

resource "aws_ami" "img" {
  name             = "img"
  root_device_name = "/dev/xvda"
  ebs_block_device {
    device_name = "/dev/xvda"
    snapshot_id = aws_ebs_snapshot.plain.id
  }
}

resource "aws_ami_copy" "fromimg" {
  name              = "fromimg"
  source_ami_id     = aws_ami.img.id
  source_ami_region = "eu-west-1"
  encrypted         = false # want DATA-023
}

resource "aws_ami_copy" "marketplace" { # want ?DATA-023
  name              = "marketplace"
  source_ami_id     = "ami-0123456789abcdef0"
  source_ami_region = "eu-west-1"
}

resource "aws_ami_copy" "asked" {
  name              = "asked"
  source_ami_id     = "ami-0123456789abcdef0"
  source_ami_region = "eu-west-1"
  encrypted         = true # want +DATA-023
  kms_key_id        = aws_kms_key.ebs.arn
}
