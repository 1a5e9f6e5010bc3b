# An AWS managed policy's text is not in the code: the finding points at
# the line that attaches it.
resource "aws_iam_user" "ops" {
  name = "ops"
}

resource "aws_iam_user_policy_attachment" "iam_full" {
  user       = aws_iam_user.ops.name
  policy_arn = "arn:aws:iam::aws:policy/IAMFullAccess" # want IAM-030
}

resource "aws_iam_user" "viewer" { # want +IAM-030
  name = "viewer"
}

resource "aws_iam_user_policy_attachment" "viewer" {
  user       = aws_iam_user.viewer.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
