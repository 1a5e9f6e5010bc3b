resource "aws_kms_key" "norotate" { # want EKS-004
  description = "eks"
  is_enabled  = true
}

resource "aws_kms_key" "rotate" {
  enable_key_rotation = true # want +EKS-004
}

resource "aws_eks_cluster" "a" {
  name = "a"
  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = aws_kms_key.norotate.arn
    }
  }
}

resource "aws_eks_cluster" "b" {
  name = "b"
  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = aws_kms_key.rotate.arn
    }
  }
}

resource "aws_eks_cluster" "external" {
  name = "external"
  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = "arn:aws:kms:eu-west-1:111122223333:key/shared" # want ?EKS-004
    }
  }
}

resource "aws_eks_cluster" "plain" {
  name = "plain"
}
