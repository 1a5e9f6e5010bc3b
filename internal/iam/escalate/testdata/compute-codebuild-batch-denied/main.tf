# Negative: CodeBuild is allowed, but a second policy denies starting builds and batches of builds.
resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user_policy" "dev" {
  user = aws_iam_user.dev.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
    Effect   = "Allow"
    Action   = ["iam:PassRole", "codebuild:*"]
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
    Action   = ["codebuild:StartBuild", "codebuild:StartBuildBatch"]
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
        Service = "codebuild.amazonaws.com"
      }
    }]
  })
  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
}
