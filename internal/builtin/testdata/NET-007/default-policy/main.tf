# ssl_policy left out: AWS applies ELBSecurityPolicy-2016-08. In a plan
# the provider shows the attribute as known after apply (see
# ../default-policy-plan), so only HCL and CloudFormation can tell.
resource "aws_lb_listener" "https_default" {
  load_balancer_arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/0123456789abcdef"
  port              = 443
  protocol          = "HTTPS" # want NET-007
  certificate_arn   = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
  default_action {
    type             = "forward"
    target_group_arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/0123456789abcdef"
  }
}

# No protocol: Terraform's default for an Application Load Balancer is HTTP.
resource "aws_lb_listener" "no_protocol" {
  load_balancer_arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/0123456789abcdef"
  port              = 80
  default_action { # want NET-007
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      status_code  = "404"
    }
  }
}

resource "aws_lb" "gwlb" {
  name               = "inspection"
  load_balancer_type = "gateway"
}

# A Gateway Load Balancer listener has no protocol and is not judged.
resource "aws_lb_listener" "geneve" {
  load_balancer_arn = aws_lb.gwlb.arn
  default_action {
    type             = "forward"
    target_group_arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/inspect/0123456789abcdef"
  }
}
