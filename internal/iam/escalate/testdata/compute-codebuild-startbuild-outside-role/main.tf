# The project's service role is a role the code does not declare: the hop leads to administrator, possibly.
resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user_policy" "dev" {
  user = aws_iam_user.dev.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
    Effect   = "Allow"
    Action   = ["codebuild:StartBuild"]
    Resource = "*"
  }]
  })
}

resource "aws_codebuild_project" "ci" {
  name         = "ci"
  service_role = "arn:aws:iam::111122223333:role/build-outside"
  artifacts {
    type = "NO_ARTIFACTS"
  }
  environment {
    compute_type = "BUILD_GENERAL1_SMALL"
    image        = "aws/codebuild/standard:7.0"
    type         = "LINUX_CONTAINER"
  }
  source {
    type      = "NO_SOURCE"
    buildspec = "version: 0.2"
  }
}
