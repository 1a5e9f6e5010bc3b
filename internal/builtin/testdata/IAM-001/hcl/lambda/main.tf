# A module that attaches the policy its caller writes, as
# terraform-aws-lambda's policy_json does.
variable "policy_json" {
  type    = string
  default = null
}

resource "aws_iam_policy" "additional_json" {
  count  = var.policy_json != null ? 1 : 0
  name   = "additional"
  policy = var.policy_json
}
