# Update a declared Glue job to the admin role and start it with a new trigger.
resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user_policy" "dev" {
  user = aws_iam_user.dev.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
    Effect   = "Allow"
    Action   = ["iam:PassRole", "glue:UpdateJob", "glue:CreateTrigger"]
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
        Service = "glue.amazonaws.com"
      }
    }]
  })
  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
}

resource "aws_iam_role" "etl" {
  name = "etl"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Action = "sts:AssumeRole"
      Principal = {
        Service = "glue.amazonaws.com"
      }
    }]
  })
}

resource "aws_glue_job" "etl" {
  name     = "etl"
  role_arn = aws_iam_role.etl.arn
  command {
    script_location = "s3://scripts/etl.py"
  }
}
