# Negative: a second policy denies passing roles, so the stack set cannot be updated with its administration role.
resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user_policy" "dev" {
  user = aws_iam_user.dev.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
    Effect   = "Allow"
    Action   = ["iam:PassRole", "cloudformation:UpdateStackSet"]
    Resource = "*"
  }]
  })
}

# A second policy denies explicitly.
resource "aws_iam_user_policy" "guard" {
  name = "guard"
  user = aws_iam_user.dev.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
    Effect   = "Deny"
    Action   = ["iam:PassRole"]
    Resource = "*"
  }]
  })
}

resource "aws_iam_role" "stackset_admin" {
  name = "stackset-admin"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Action = "sts:AssumeRole"
      Principal = {
        Service = "cloudformation.amazonaws.com"
      }
    }]
  })
}

resource "aws_iam_role_policy" "stackset_admin" {
  name = "assume-execution"
  role = aws_iam_role.stackset_admin.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "sts:AssumeRole"
      Resource = "arn:aws:iam::*:role/AWSCloudFormationStackSetExecutionRole"
    }]
  })
}

resource "aws_iam_role" "stackset_execution" {
  name = "AWSCloudFormationStackSetExecutionRole"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Action = "sts:AssumeRole"
      Principal = {
        AWS = aws_iam_role.stackset_admin.arn
      }
    }]
  })
  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
}

resource "aws_cloudformation_stack_set" "baseline" {
  name                    = "baseline"
  administration_role_arn = aws_iam_role.stackset_admin.arn
  execution_role_name     = "AWSCloudFormationStackSetExecutionRole"
  template_body           = "{}"
}
