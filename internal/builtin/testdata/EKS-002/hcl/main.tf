resource "aws_eks_cluster" "open" {
  name = "open"
  vpc_config {
    endpoint_public_access = true
    public_access_cidrs    = ["10.0.0.0/8", "0.0.0.0/0"] # want EKS-002
  }
}

# The seed 002 plan: public access off, CIDR list left at 0.0.0.0/0.
resource "aws_eks_cluster" "seed002" {
  name = "seed002"
  vpc_config {
    endpoint_private_access = true
    endpoint_public_access  = false # want +EKS-002
    public_access_cidrs     = ["0.0.0.0/0"]
  }
}

resource "aws_eks_cluster" "restricted" {
  name = "restricted"
  vpc_config {
    endpoint_public_access = true
    public_access_cidrs    = ["203.0.113.0/24"] # want +EKS-002
  }
}

resource "aws_eks_cluster" "defaults" {
  name = "defaults"
  vpc_config { # want EKS-002
    subnet_ids = ["subnet-1"]
  }
}

module "eks" {
  source = "./modules/eks"
}

resource "aws_eks_cluster" "ipv6" {
  name = "ipv6"
  vpc_config {
    public_access_cidrs = ["::/0"] # want EKS-002
  }
}
