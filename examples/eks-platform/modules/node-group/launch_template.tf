resource "aws_launch_template" "this" {
  name_prefix = "${var.name}-"
  user_data   = base64encode(templatefile("${path.module}/userdata.tpl", { cluster = var.cluster_name }))

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = var.imdsv2 ? "required" : "optional"
    http_put_response_hop_limit = 1
  }

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size = 100
      volume_type = "gp3"
      encrypted   = true
    }
  }
}
