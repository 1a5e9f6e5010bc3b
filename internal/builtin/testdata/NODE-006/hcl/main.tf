resource "aws_autoscaling_group" "tagged" {
  tag { # want NODE-006
    key                 = "kubernetes.io/cluster/prod"
    value               = "owned"
    propagate_at_launch = true
  }
}

resource "aws_launch_template" "bootstrap" {
  user_data = base64encode(<<-EOT
    #!/bin/bash
    /etc/eks/bootstrap.sh prod
  EOT
  )
}

resource "aws_autoscaling_group" "by_userdata" {
  launch_template { # want NODE-006
    id      = aws_launch_template.bootstrap.id
    version = "$Latest"
  }
}

resource "aws_launch_template" "web" {
  user_data = base64encode("#!/bin/bash\nyum install -y nginx\n")
}

resource "aws_autoscaling_group" "web" { # want +NODE-006
  launch_template {
    id      = aws_launch_template.web.id
    version = "1"
  }
}

variable "user_data" {}

resource "aws_launch_template" "templated" {
  user_data = var.user_data
}

resource "aws_autoscaling_group" "unknown" { # want ?NODE-006
  launch_template {
    id      = aws_launch_template.templated.id
    version = "1"
  }
}
