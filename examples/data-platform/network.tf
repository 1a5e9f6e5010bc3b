resource "aws_vpc" "main" {
  cidr_block = "10.40.0.0/16"
}

resource "aws_flow_log" "main" {
  vpc_id          = aws_vpc.main.id
  traffic_type    = "ALL"
  log_destination = "arn:aws:s3:::acme-prod-s3-access-logs/flow/"
}

# Analysts' sandbox, created for a workshop and never given flow logs.
resource "aws_vpc" "sandbox" {
  cidr_block = "10.90.0.0/16"
}

resource "aws_default_security_group" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_default_security_group" "sandbox" {
  vpc_id = aws_vpc.sandbox.id
  ingress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["10.90.0.0/16"]
  }
}

resource "aws_network_acl" "sandbox" {
  vpc_id = aws_vpc.sandbox.id
}

resource "aws_network_acl_rule" "sandbox_ssh" {
  network_acl_id = aws_network_acl.sandbox.id
  rule_number    = 100
  egress         = false
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
  from_port      = 22
  to_port        = 22
}

resource "aws_subnet" "public" {
  count      = 2
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet("10.40.0.0/16", 8, count.index)
}

resource "aws_lb" "api" {
  name               = "${var.org}-${var.env}-api"
  load_balancer_type = "application"
  subnets            = aws_subnet.public[*].id
}

resource "aws_lb_listener" "api_http" {
  load_balancer_arn = aws_lb.api.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type = "redirect"
    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}

resource "aws_lb_listener" "api_https" {
  load_balancer_arn = aws_lb.api.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = "arn:aws:acm:eu-west-1:111122223333:certificate/7f0c2d1e-0a1b-4c2d-9e8f-123456789abc"
  default_action {
    type             = "forward"
    target_group_arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/api/0123456789abcdef"
  }
}

resource "aws_lb" "internal_jobs" {
  name               = "${var.org}-${var.env}-jobs"
  internal           = true
  load_balancer_type = "application"
  subnets            = aws_subnet.public[*].id
}

resource "aws_lb_listener" "internal_jobs" {
  load_balancer_arn = aws_lb.internal_jobs.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type             = "forward"
    target_group_arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/jobs/0123456789abcdef"
  }
}
