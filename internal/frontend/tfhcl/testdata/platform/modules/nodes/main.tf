variable "cluster" {}
variable "tokens" {}
resource "aws_launch_template" "this" {
  name = "${var.cluster}-lt"
  metadata_options {
    http_tokens = var.tokens
  }
  dynamic "block_device_mappings" {
    for_each = ["/dev/xvda"]
    content {
      device_name = block_device_mappings.value
      ebs {
        encrypted = false
      }
    }
  }
}
output "id" { value = aws_launch_template.this.id }
