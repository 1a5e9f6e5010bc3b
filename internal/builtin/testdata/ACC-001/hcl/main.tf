# The account alias post on badboysofdevops.com: <org>-<env>-<purpose>.
resource "aws_iam_account_alias" "seed" {
  account_alias = "bboq-dev-website" # want +ACC-001
}

resource "aws_iam_account_alias" "logs" {
  account_alias = "bboq-prod-compliance" # want +ACC-001
}

resource "aws_iam_account_alias" "long_org" {
  account_alias = "bad-boys-staging-shop-api" # want +ACC-001
}

resource "aws_iam_account_alias" "no_env" {
  account_alias = "bboq-website" # want ACC-001
}

resource "aws_iam_account_alias" "env_first" {
  account_alias = "prod-website" # want ACC-001
}

resource "aws_iam_account_alias" "no_purpose" {
  account_alias = "bboq-website-prod" # want ACC-001
}

resource "aws_iam_account_alias" "abbreviated" {
  account_alias = "bboq-prd-website" # want ACC-001
}

resource "aws_iam_account_alias" "word_inside" {
  account_alias = "bboq-product-website" # want ACC-001
}

variable "alias" {}

resource "aws_iam_account_alias" "from_variable" {
  account_alias = var.alias # want ?ACC-001
}
