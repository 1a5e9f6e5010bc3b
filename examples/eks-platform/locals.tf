locals {
  name = "${var.org}-${var.env}-eks"
  common_tags = {
    Organisation = var.org
    Environment  = var.env
    ManagedBy    = "terraform"
  }
  public_api = length(var.public_api_cidrs) > 0
}
