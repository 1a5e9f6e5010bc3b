variable "docs" {
  type    = list(string)
  default = []
}

data "aws_iam_policy_document" "this" {
  source_policy_documents = var.docs
}

resource "aws_iam_role" "launcher" {
  name               = "launcher"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }] })
}

resource "aws_iam_policy" "launcher" {
  name   = "launcher"
  policy = data.aws_iam_policy_document.this.json
}

resource "aws_iam_role_policy_attachment" "launcher" {
  role       = aws_iam_role.launcher.name
  policy_arn = aws_iam_policy.launcher.arn
}
