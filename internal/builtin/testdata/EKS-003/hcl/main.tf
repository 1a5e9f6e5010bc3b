resource "aws_eks_cluster" "none" { # want EKS-003
  name = "none"
}

resource "aws_kms_key" "eks" {}

resource "aws_eks_cluster" "seed002" {
  name = "seed002"
  encryption_config { # want +EKS-003
    resources = ["secrets"]
    provider {
      key_arn = aws_kms_key.eks.arn
    }
  }
}

resource "aws_eks_cluster" "literal" {
  name = "literal"
  encryption_config { # want +EKS-003
    resources = ["secrets"]
    provider {
      key_arn = "arn:aws:kms:eu-west-1:111122223333:key/abc"
    }
  }
}

resource "aws_eks_cluster" "wrongres" {
  name = "wrongres"
  encryption_config { # want EKS-003
    resources = []
    provider {
      key_arn = "arn:aws:kms:eu-west-1:111122223333:key/abc"
    }
  }
}

variable "encryption" {}

resource "aws_eks_cluster" "computed" {
  name = "computed"
  dynamic "encryption_config" { # want ?EKS-003
    for_each = var.encryption
    content {
      resources = ["secrets"]
    }
  }
}
