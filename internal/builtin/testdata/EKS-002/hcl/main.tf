resource "aws_eks_cluster" "open" {
  name = "open"
  vpc_config {
    endpoint_public_access = true
    public_access_cidrs    = ["10.0.0.0/8", "0.0.0.0/0"] # want EKS-002
  }
}

# The plan of Snyk's EKS hardening post: public access off, CIDR list left at 0.0.0.0/0.
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

resource "aws_eks_cluster" "halves" {
  name = "halves"
  vpc_config {
    public_access_cidrs = ["0.0.0.0/1", "128.0.0.0/1"] # want EKS-002
  }
}

resource "aws_eks_cluster" "long_v6" {
  name = "long_v6"
  vpc_config {
    public_access_cidrs = ["0000:0000:0000:0000:0000:0000:0000:0000/0"] # want EKS-002
  }
}

# The provider sends public_access_cidrs only when the list is not empty:
# EKS keeps its default, 0.0.0.0/0.
resource "aws_eks_cluster" "empty" {
  name = "empty"
  vpc_config {
    endpoint_public_access = true
    public_access_cidrs    = [] # want EKS-002
  }
}

# Every IPv4 address but the RFC 1918 ranges: every host on the internet.
resource "aws_eks_cluster" "all_but_private" {
  name = "all_but_private"
  vpc_config {
    public_access_cidrs = ["0.0.0.0/5", "8.0.0.0/7", "11.0.0.0/8", "12.0.0.0/6", "16.0.0.0/4", "32.0.0.0/3", "64.0.0.0/2", "128.0.0.0/3", "160.0.0.0/5", "168.0.0.0/6", "172.0.0.0/12", "172.32.0.0/11", "172.64.0.0/10", "172.128.0.0/9", "173.0.0.0/8", "174.0.0.0/7", "176.0.0.0/4", "192.0.0.0/9", "192.128.0.0/11", "192.160.0.0/13", "192.169.0.0/16", "192.170.0.0/15", "192.172.0.0/14", "192.176.0.0/12", "192.192.0.0/10", "193.0.0.0/8", "194.0.0.0/7", "196.0.0.0/6", "200.0.0.0/5", "208.0.0.0/4", "224.0.0.0/3"] # want EKS-002
  }
}

resource "aws_eks_cluster" "one_half" {
  name = "one_half"
  vpc_config {
    public_access_cidrs = ["0.0.0.0/1"] # want +EKS-002
  }
}

resource "aws_eks_cluster" "malformed" {
  name = "malformed"
  vpc_config {
    public_access_cidrs = ["203.0.113.0/24", "0.0.0.0"] # want ?EKS-002
  }
}
