resource "aws_eks_cluster" "public" {
  name = "public"
  vpc_config {
    endpoint_private_access = false
    endpoint_public_access  = true # want EKS-001
    public_access_cidrs     = ["0.0.0.0/0"]
  }
}

resource "aws_eks_cluster" "private" {
  name = "private"
  vpc_config {
    endpoint_private_access = true
    endpoint_public_access  = false # want +EKS-001
  }
}

module "eks" {
  source = "./modules/eks"
}

resource "aws_eks_cluster" "defaulted" {
  name = "defaulted"
  vpc_config { # want EKS-001
    subnet_ids = ["subnet-1"]
  }
}
