# The instance's instance profile is not declared in the code: the role it runs as is not known, so
# the hop leads to administrator, possibly.
resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user_policy" "dev" {
  user = aws_iam_user.dev.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
    Effect   = "Allow"
    Action   = ["ssm:SendCommand"]
    Resource = "*"
  }]
  })
}

resource "aws_instance" "box" {
  ami                  = "ami-12345678"
  instance_type        = "t3.micro"
  iam_instance_profile = "platform-admin"
}
