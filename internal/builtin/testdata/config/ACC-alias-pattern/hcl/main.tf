# Judged with --alias-pattern 'bboq-(?P<env>dev|qa|prod)-[a-z]+'.
resource "aws_iam_account_alias" "qa" {
  account_alias = "bboq-qa-website" # want +ACC-001
}

resource "aws_iam_account_alias" "staging" {
  account_alias = "bboq-staging-website" # want ACC-001
}

resource "aws_iam_account_alias" "other_org" {
  account_alias = "acme-prod-website" # want ACC-001
}
