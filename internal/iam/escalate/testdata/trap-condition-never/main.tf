# iam:AttachRolePolicy is allowed only before a date long past
# (aws:CurrentTime DateLessThan 2020-01-01): the condition never holds again.
resource "aws_iam_role" "ci" {
  name = "ci"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "codebuild.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "ci" {
  name = "ci"
  role = aws_iam_role.ci.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "iam:AttachRolePolicy"
      Resource  = "*"
      Condition = { DateLessThan = { "aws:CurrentTime" = "2020-01-01T00:00:00Z" } }
    }]
  })
}
