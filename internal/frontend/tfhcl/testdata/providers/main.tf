variable "region" {
  default = "eu-west-1"
}

provider "aws" {
  region = var.region
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
  assume_role {
    role_arn = "arn:aws:iam::123456789012:role/deploy"
  }
}

data "aws_eks_cluster_auth" "this" {
  name = "prod"
}

provider "kubernetes" {
  host  = "https://example.eks.amazonaws.com"
  token = data.aws_eks_cluster_auth.this.token
}

module "inner" {
  source = "./modules/inner"
}
