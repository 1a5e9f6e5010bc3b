# IAM-005: Allow with NotAction / NotResource.
variable "effect" {} # no default: known only after apply

resource "aws_iam_policy" "not_iam" {
  name = "not-iam"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # want IAM-005
        Sid       = "AllButIAM"
        Effect    = "Allow"
        NotAction = ["iam:*", "organizations:*"]
        Resource  = "*"
      },
    ]
  })
}

data "aws_iam_policy_document" "all_but_audit" {
  statement { # want IAM-005
    actions       = ["s3:*"]
    not_resources = ["arn:aws:s3:::audit-logs", "arn:aws:s3:::audit-logs/*"]
  }
}

resource "aws_iam_role_policy" "all_but_audit" {
  name   = "all-but-audit"
  role   = "data-loader"
  policy = data.aws_iam_policy_document.all_but_audit.json
}

# Deny with NotAction is the usual MFA guard and is fine.
resource "aws_iam_group_policy" "mfa" {
  name  = "mfa"
  group = "people"
  policy = jsonencode({ # want +IAM-005
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["ec2:Describe*"], Resource = "*" },
      {
        Effect    = "Deny"
        NotAction = ["iam:ChangePassword", "iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "sts:GetSessionToken"]
        Resource  = "*"
        Condition = { BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } }
      },
    ]
  })
}

resource "aws_iam_user_policy" "later" {
  name = "later"
  user = "bob"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = var.effect, NotAction = "s3:*", Resource = "*" }, # want ?IAM-005
    ]
  })
}
