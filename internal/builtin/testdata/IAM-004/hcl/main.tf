# IAM-004: iam:PassRole on every role.
variable "roles" {} # no default: known only after apply

data "aws_iam_policy_document" "deployer" {
  statement { # want IAM-004
    sid       = "PassAnyToEcs"
    actions   = ["iam:PassRole"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }
  statement { # want IAM-004
    sid       = "EveryRoleOfTheAccount"
    actions   = ["iam:Pass*"]
    resources = ["arn:aws:iam::111122223333:role/*"]
  }
  statement {
    sid       = "AppRolesOnly"
    actions   = ["iam:PassRole"]
    resources = ["arn:aws:iam::111122223333:role/app/*", "arn:aws:iam::111122223333:role/worker"]
  }
  statement {
    sid       = "TaggedRolesOnly"
    actions   = ["iam:PassRole"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/team"
      values   = ["payments"]
    }
  }
}

resource "aws_iam_policy" "deployer" {
  name   = "deployer"
  policy = data.aws_iam_policy_document.deployer.json
}

resource "aws_iam_policy" "scoped" {
  name = "scoped"
  policy = jsonencode({ # want +IAM-004
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "iam:PassRole", Resource = "arn:aws:iam::111122223333:role/batch-*" },
      { Effect = "Deny", Action = "iam:PassRole", Resource = "*" },
      { Effect = "Allow", Action = "iam:GetRole", Resource = "*" },
    ]
  })
}

resource "aws_iam_user_policy" "later" {
  name = "later"
  user = "ci"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "iam:PassRole", Resource = var.roles }, # want ?IAM-004
    ]
  })
}
