# IAM-012: trust to * or to a whole account without any condition.
variable "condition" {} # no default: known only after apply

resource "aws_iam_role" "root" {
  name = "root-trust"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { AWS = ["arn:aws:iam::111122223333:root", "444455556666"] } # want IAM-012
        Action    = "sts:AssumeRole"
      },
    ]
  })
}

data "aws_iam_policy_document" "everyone" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "*"
      identifiers = ["*"] # want IAM-012
    }
  }
}

resource "aws_iam_role" "everyone" {
  name               = "everyone"
  assume_role_policy = data.aws_iam_policy_document.everyone.json
}

resource "aws_iam_role" "root_mfa" {
  name = "root-mfa"
  assume_role_policy = jsonencode({ # want +IAM-012
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:root" }
      Action    = "sts:AssumeRole"
      Condition = { Bool = { "aws:MultiFactorAuthPresent" = "true" } }
    }]
  })
}

resource "aws_iam_role" "named_role" {
  name = "named-role"
  assume_role_policy = jsonencode({ # want +IAM-012
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:role/ci" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role" "conditional_root" {
  name = "conditional-root"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:root" } # want ?IAM-012
      Action    = "sts:AssumeRole"
      Condition = var.condition
    }]
  })
}

# A Deny to everyone and a service trust are fine.
resource "aws_iam_role" "service" {
  name = "service"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" },
      { Effect = "Deny", Principal = { AWS = "*" }, Action = "sts:AssumeRole" },
    ]
  })
}
