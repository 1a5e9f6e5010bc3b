# The stack's service role is an ARN built from the caller's account, not known without --account-id:
# the role is still found by its name.
data "aws_caller_identity" "current" {}

resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user_policy" "dev" {
  user = aws_iam_user.dev.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
    Effect   = "Allow"
    Action   = ["cloudformation:UpdateStack"]
    Resource = "*"
  }]
  })
}

resource "aws_iam_role" "cfn" {
  name = "cfn"
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
  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
}

resource "aws_cloudformation_stack" "app" {
  name          = "app"
  iam_role_arn  = format("arn:aws:iam::%s:role/cfn", data.aws_caller_identity.current.account_id)
  template_body = "{}"
}
