# Negative: a second policy denies invoking code interpreters.
resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user_policy" "dev" {
  user = aws_iam_user.dev.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
    Effect   = "Allow"
    Action   = ["bedrock-agentcore:StartCodeInterpreterSession", "bedrock-agentcore:InvokeCodeInterpreter"]
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
    Action   = ["bedrock-agentcore:InvokeCodeInterpreter"]
    Resource = "*"
  }]
  })
}

resource "aws_iam_role" "target" {
  name = "target"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Action = "sts:AssumeRole"
      Principal = {
        Service = "bedrock-agentcore.amazonaws.com"
      }
    }]
  })
  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
}

resource "aws_bedrockagentcore_code_interpreter" "analysis" {
  name               = "analysis"
  execution_role_arn = aws_iam_role.target.arn
  network_configuration {
    network_mode = "SANDBOX"
  }
}
