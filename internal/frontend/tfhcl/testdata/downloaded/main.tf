module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.8.1"
  public  = true
}
