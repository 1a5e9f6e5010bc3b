# IAM-003: permissions-management actions must be fenced by a permissions
# boundary (Conveyor's documentation: the installer role "can not gain more access rights").
variable "actions" {}   # no default: known only after apply
variable "condition" {} # no default

# Conveyor's installer: may create roles and attach the predefined
# policies, but only with the boundary, and may not create policies.
data "aws_iam_policy_document" "installer" { # want +IAM-003
  statement {
    actions   = ["iam:CreateRole", "iam:PutRolePolicy", "iam:PutRolePermissionsBoundary"]
    resources = ["arn:aws:iam::111122223333:role/conveyor-*"]
    condition {
      test     = "StringEquals"
      variable = "iam:PermissionsBoundary"
      values   = ["arn:aws:iam::111122223333:policy/conveyor-boundary"]
    }
  }
  statement {
    actions   = ["iam:AttachRolePolicy"]
    resources = ["arn:aws:iam::111122223333:role/conveyor-*"]
    condition {
      test     = "ArnEquals"
      variable = "iam:PolicyARN"
      values   = ["arn:aws:iam::111122223333:policy/conveyor-eks-agent"]
    }
  }
  statement {
    actions   = ["iam:Get*", "iam:List*", "iam:DetachRolePolicy", "iam:DeleteRole", "iam:PassRole"]
    resources = ["arn:aws:iam::111122223333:role/conveyor-*"]
  }
}

resource "aws_iam_policy" "installer" {
  name   = "installer"
  policy = data.aws_iam_policy_document.installer.json
}

# The AWS-documented delegation pattern: allow, and deny unless the
# boundary is set.
resource "aws_iam_policy" "delegated" {
  name = "delegated"
  policy = jsonencode({ # want +IAM-003
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["iam:CreateRole", "iam:AttachRolePolicy"], Resource = "*" },
      {
        Effect    = "Deny"
        Action    = ["iam:CreateRole", "iam:AttachRolePolicy"]
        Resource  = "*"
        Condition = { StringNotEquals = { "iam:PermissionsBoundary" = "arn:aws:iam::111122223333:policy/boundary" } }
      },
    ]
  })
}

resource "aws_iam_policy" "escalating" {
  name = "escalating"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # want IAM-003
        Sid      = "CreatePolicies"
        Effect   = "Allow"
        Action   = ["iam:CreatePolicy", "iam:CreatePolicyVersion"]
        Resource = "*"
      },
      { # want IAM-003
        Sid      = "PutAnything"
        Effect   = "Allow"
        Action   = "iam:Put*"
        Resource = "arn:aws:iam::111122223333:role/*"
      },
      { # want IAM-003
        Sid       = "IfExistsIsNoFence"
        Effect    = "Allow"
        Action    = "iam:AttachRolePolicy"
        Resource  = "*"
        Condition = { StringEqualsIfExists = { "iam:PermissionsBoundary" = "arn:aws:iam::111122223333:policy/boundary" } }
      },
      { # want IAM-003
        Sid      = "EverythingButS3"
        Effect   = "Allow"
        NotAction = "s3:*"
        Resource = "*"
      },
      { # want IAM-003
        Sid       = "BoundaryRemoval"
        Effect    = "Allow"
        Action    = "iam:DeleteRolePermissionsBoundary"
        Resource  = "*"
        Condition = { StringEquals = { "iam:PermissionsBoundary" = "arn:aws:iam::111122223333:policy/boundary" } }
      },
    ]
  })
}

resource "aws_iam_role" "ci" {
  name = "ci"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "codebuild.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  inline_policy {
    name = "unknowns"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [
        { Effect = "Allow", Action = var.actions, Resource = "*" }, # want ?IAM-003
        { # want ?IAM-003
          Effect    = "Allow"
          Action    = "iam:PutRolePolicy"
          Resource  = "*"
          Condition = var.condition
        },
        { Effect = "Allow", Action = "iam:ListRoles", Resource = "*" },
      ]
    })
  }
}
