variable "vpc_id" {}
variable "admin_cidr" {}
variable "deny_cidr" {}

resource "aws_network_acl" "public" {
  vpc_id = var.vpc_id
  tags   = { Name = "public" }
}

resource "aws_network_acl" "guarded" {
  vpc_id = var.vpc_id
  tags   = { Name = "guarded" }
}

resource "aws_network_acl" "partial" {
  vpc_id = var.vpc_id
  tags   = { Name = "partial" }
}

resource "aws_network_acl" "uncertain" {
  vpc_id = var.vpc_id
  tags   = { Name = "uncertain" }
}

resource "aws_network_acl_rule" "ssh" {
  network_acl_id = aws_network_acl.public.id
  rule_number    = 100
  protocol       = "tcp"
  rule_action    = "allow"
  from_port      = 22
  to_port        = 22
  cidr_block     = "0.0.0.0/0" # want NET-004
}

resource "aws_network_acl_rule" "https" {
  network_acl_id = aws_network_acl.public.id
  rule_number    = 110
  protocol       = "tcp"
  rule_action    = "allow"
  from_port      = 443
  to_port        = 443
  cidr_block     = "0.0.0.0/0" # want +NET-004
}

resource "aws_network_acl_rule" "office_rdp" {
  network_acl_id = aws_network_acl.public.id
  rule_number    = 120
  protocol       = "tcp"
  rule_action    = "allow"
  from_port      = 3389
  to_port        = 3389
  cidr_block     = "10.0.0.0/8" # want +NET-004
}

resource "aws_network_acl_rule" "admin_var" {
  network_acl_id = aws_network_acl.public.id
  rule_number    = 130
  protocol       = "tcp"
  rule_action    = "allow"
  from_port      = 22
  to_port        = 22
  cidr_block     = var.admin_cidr # want ?NET-004
}

resource "aws_network_acl_rule" "ephemeral" {
  network_acl_id = aws_network_acl.public.id
  rule_number    = 200
  protocol       = "tcp"
  rule_action    = "allow"
  from_port      = 1024
  to_port        = 65535
  cidr_block     = "0.0.0.0/0" # want NET-004
}

resource "aws_network_acl_rule" "all_v6" {
  network_acl_id = aws_network_acl.public.id
  rule_number    = 300
  protocol       = "-1"
  rule_action    = "allow"
  ipv6_cidr_block = "::/0" # want NET-004
}

resource "aws_network_acl_rule" "late_deny" {
  network_acl_id = aws_network_acl.public.id
  rule_number    = 400
  protocol       = "-1"
  rule_action    = "deny"
  cidr_block     = "0.0.0.0/0"
}

resource "aws_network_acl_rule" "outbound" {
  network_acl_id = aws_network_acl.public.id
  rule_number    = 100
  egress         = true
  protocol       = "-1"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
}

resource "aws_network_acl_rule" "guard_deny" {
  network_acl_id = aws_network_acl.guarded.id
  rule_number    = 50
  protocol       = "-1"
  rule_action    = "deny"
  cidr_block     = "0.0.0.0/0"
}

resource "aws_network_acl_rule" "guard_all" {
  network_acl_id = aws_network_acl.guarded.id
  rule_number    = 100
  protocol       = "-1"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0" # want +NET-004
}

resource "aws_network_acl_rule" "deny_ssh" {
  network_acl_id = aws_network_acl.partial.id
  rule_number    = 90
  protocol       = "tcp"
  rule_action    = "deny"
  from_port      = 22
  to_port        = 22
  cidr_block     = "0.0.0.0/0"
}

resource "aws_network_acl_rule" "web_v4" {
  network_acl_id = aws_network_acl.partial.id
  rule_number    = 100
  protocol       = "tcp"
  rule_action    = "allow"
  from_port      = 0
  to_port        = 1023
  cidr_block     = "0.0.0.0/0" # want +NET-004
}

resource "aws_network_acl_rule" "web_v6" {
  network_acl_id = aws_network_acl.partial.id
  rule_number    = 110
  protocol       = "tcp"
  rule_action    = "allow"
  from_port      = 0
  to_port        = 1023
  ipv6_cidr_block = "::/0" # want NET-004
}

resource "aws_network_acl_rule" "maybe_deny" {
  network_acl_id = aws_network_acl.uncertain.id
  rule_number    = 50
  protocol       = "-1"
  rule_action    = "deny"
  cidr_block     = var.deny_cidr
}

resource "aws_network_acl_rule" "maybe_ssh" {
  network_acl_id = aws_network_acl.uncertain.id
  rule_number    = 100
  protocol       = "tcp"
  rule_action    = "allow"
  from_port      = 22
  to_port        = 22
  cidr_block     = "0.0.0.0/0" # want ?NET-004
}

resource "aws_network_acl" "split" {
  vpc_id = var.vpc_id
  tags   = { Name = "split" }
}

resource "aws_network_acl" "half_denied" {
  vpc_id = var.vpc_id
  tags   = { Name = "half_denied" }
}

resource "aws_network_acl" "odd" {
  vpc_id = var.vpc_id
  tags   = { Name = "odd" }
}

# The two halves of the IPv4 space on SSH: every address gets in.
resource "aws_network_acl_rule" "half_a" {
  network_acl_id = aws_network_acl.split.id
  rule_number    = 100
  protocol       = "tcp"
  rule_action    = "allow"
  from_port      = 22
  to_port        = 22
  cidr_block     = "0.0.0.0/1" # want NET-004
}

resource "aws_network_acl_rule" "half_b" {
  network_acl_id = aws_network_acl.split.id
  rule_number    = 110
  protocol       = "tcp"
  rule_action    = "allow"
  from_port      = 22
  to_port        = 22
  cidr_block     = "128.0.0.0/1" # want NET-004
}

# A deny numbered lower takes half the internet out: the allow admits
# 128.0.0.0/1 only, which is not the whole internet.
resource "aws_network_acl_rule" "deny_half" {
  network_acl_id = aws_network_acl.half_denied.id
  rule_number    = 90
  protocol       = "tcp"
  rule_action    = "deny"
  from_port      = 22
  to_port        = 22
  cidr_block     = "0.0.0.0/1"
}

resource "aws_network_acl_rule" "after_half" {
  network_acl_id = aws_network_acl.half_denied.id
  rule_number    = 100
  protocol       = "tcp"
  rule_action    = "allow"
  from_port      = 22
  to_port        = 22
  cidr_block     = "0.0.0.0/0" # want +NET-004
}

resource "aws_network_acl_rule" "long_v6" {
  network_acl_id  = aws_network_acl.odd.id
  rule_number     = 100
  protocol        = "-1"
  rule_action     = "allow"
  ipv6_cidr_block = "0:0:0:0:0:0:0:0/0" # want NET-004
}

resource "aws_network_acl_rule" "malformed" {
  network_acl_id = aws_network_acl.odd.id
  rule_number    = 110
  protocol       = "tcp"
  rule_action    = "allow"
  from_port      = 3389
  to_port        = 3389
  cidr_block     = "0.0.0.0" # want ?NET-004
}
