data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"]
    }
    condition {
      test     = "StringLike"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:acme/platform:*"]
    }
  }
}

data "aws_iam_policy_document" "read" {
  statement {
    sid       = "Read"
    actions   = ["secretsmanager:GetSecretValue", "kms:Decrypt"]
    resources = [aws_kms_key.k.arn]
  }
}

resource "aws_kms_key" "k" {}

resource "aws_iam_role" "ci" {
  name               = "ci"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

# Merged with an unknown source document in its structure: the merged
# document stays readable, the key ARN alone unknown.
data "aws_iam_policy_document" "merged" {
  source_policy_documents = [data.aws_iam_policy_document.read.json]
  statement {
    actions   = ["ec2:RunInstances"]
    resources = ["*"]
  }
}

# A statement list that is not known (for_each over a variable without a
# value) leaves nothing to read.
variable "stmts" {
  type = list(string)
}

data "aws_iam_policy_document" "opaque" {
  dynamic "statement" {
    for_each = var.stmts
    content {
      actions   = [statement.value]
      resources = ["*"]
    }
  }
}
