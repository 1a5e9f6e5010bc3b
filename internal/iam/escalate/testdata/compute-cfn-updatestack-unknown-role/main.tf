# The stack's service role is a variable without default: the hop leads to administrator, possibly.
variable "cfn_role_arn" {
  type = string
}

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

resource "aws_cloudformation_stack" "app" {
  name          = "app"
  iam_role_arn  = var.cfn_role_arn
  template_body = "{}"
}
