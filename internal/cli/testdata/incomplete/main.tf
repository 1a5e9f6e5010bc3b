# A root module whose registry module was never downloaded (no terraform
# init): eksguard cannot read module.vpc, so its resources go unchecked.
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"
}

resource "aws_kms_key" "eks" {
  description         = "EKS secrets"
  enable_key_rotation = true
}
