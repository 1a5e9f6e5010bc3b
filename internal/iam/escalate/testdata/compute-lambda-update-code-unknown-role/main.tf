# The function's role is a variable without default: not known from code, so the hop leads to
# administrator, possibly.
variable "role_arn" {
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
    Action   = ["lambda:UpdateFunctionCode"]
    Resource = "*"
  }]
  })
}

resource "aws_lambda_function" "app" {
  function_name = "app"
  role          = var.role_arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "app.zip"
}
