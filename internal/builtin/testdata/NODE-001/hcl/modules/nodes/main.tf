variable "tokens" {}

resource "aws_launch_template" "this" {
  for_each = toset(["gpu"])
  metadata_options {
    http_tokens = var.tokens # want ?NODE-001
  }
}
