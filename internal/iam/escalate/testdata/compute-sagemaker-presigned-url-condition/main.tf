# Negative: opening notebooks is allowed only before a date long past (aws:CurrentTime DateLessThan 2020-01-01).
resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user_policy" "dev" {
  user = aws_iam_user.dev.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
    Effect   = "Allow"
    Action   = ["sagemaker:CreatePresignedNotebookInstanceUrl"]
    Resource = "*"
    Condition = { DateLessThan = { "aws:CurrentTime" = "2020-01-01T00:00:00Z" } }
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
        Service = "sagemaker.amazonaws.com"
      }
    }]
  })
  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
}

resource "aws_sagemaker_notebook_instance" "lab" {
  name          = "lab"
  role_arn      = aws_iam_role.target.arn
  instance_type = "ml.t3.medium"
}
