# IAM-001: Allow * on * in any identity policy, whatever its holder.
variable "actions" {} # no default: known only after apply

resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_policy" "admin" {
  name = "admin"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # want IAM-001
        Effect   = "Allow"
        Action   = "*"
        Resource = "*"
      },
      {
        Effect   = "Allow"
        Action   = "s3:GetObject"
        Resource = "*"
      },
    ]
  })
}

data "aws_iam_policy_document" "starstar" {
  statement { # want IAM-001
    actions   = ["*:*"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "starstar" {
  name   = "starstar"
  role   = aws_iam_role.app.id
  policy = data.aws_iam_policy_document.starstar.json
}

resource "aws_iam_user_policy" "heredoc" {
  name   = "heredoc"
  user   = "bob"
  policy = trimspace( # want IAM-001
    <<EOT
{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": ["*"], "Resource": ["*"]}]
}
EOT
  )
}

# A scoped policy, a Deny of everything, and * on one resource are not
# administrator access.
resource "aws_iam_group_policy" "scoped" {
  name  = "scoped"
  group = "devs"
  policy = jsonencode({ # want +IAM-001
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["s3:GetObject", "s3:ListBucket"], Resource = "*" },
      { Effect = "Deny", Action = "*", Resource = "*", Condition = { Bool = { "aws:MultiFactorAuthPresent" = "false" } } },
      { Effect = "Allow", Action = "*", Resource = "arn:aws:s3:::scratch/*" },
    ]
  })
}

resource "aws_iam_role" "inline" {
  name               = "inline"
  assume_role_policy = aws_iam_role.app.assume_role_policy
  inline_policy {
    name = "unknown-actions"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [
        { # want ?IAM-001
          Effect   = "Allow"
          Action   = var.actions
          Resource = "*"
        }
      ]
    })
  }
}

# IAM Identity Center permission sets: the inline policy is the identity
# policy of the role people sign in with in every account it is assigned to.
resource "aws_ssoadmin_permission_set" "admin" {
  name         = "admin"
  instance_arn = "arn:aws:sso:::instance/ssoins-1234567890abcdef"
}

resource "aws_ssoadmin_permission_set_inline_policy" "admin" {
  instance_arn       = aws_ssoadmin_permission_set.admin.instance_arn
  permission_set_arn = aws_ssoadmin_permission_set.admin.arn
  inline_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] # want IAM-001
  })
}

data "aws_iam_policy_document" "readonly" { # want +IAM-001
  statement {
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = ["*"]
  }
}

resource "aws_ssoadmin_permission_set_inline_policy" "readonly" {
  instance_arn       = "arn:aws:sso:::instance/ssoins-1234567890abcdef"
  permission_set_arn = "arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-0123456789abcdef"
  inline_policy      = data.aws_iam_policy_document.readonly.json
}

variable "sso_policy" {
  type = string
}

resource "aws_ssoadmin_permission_set_inline_policy" "later" {
  instance_arn       = "arn:aws:sso:::instance/ssoins-1234567890abcdef"
  permission_set_arn = "arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-fedcba9876543210"
  inline_policy      = var.sso_policy # want ?IAM-001
}

# A policy written as a JSON template whose other statement names a secret
# whose ARN is known only after apply: the template is read but for that
# string, so the administrator statement is still judged, and * on that
# ARN alone is unknown as it is in jsonencode; a template whose unknown
# part is not inside a string cannot be read as JSON, and stays unknown.
resource "aws_secretsmanager_secret" "db" {
  name = "db"
}

resource "aws_iam_user_policy" "template" {
  name   = "template"
  user   = "bob"
  policy = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}, {\"Effect\": \"Allow\", \"Action\": \"secretsmanager:GetSecretValue\", \"Resource\": \"${aws_secretsmanager_secret.db.arn}\"}]}" # want IAM-001
}

resource "aws_iam_user_policy" "template_scoped" {
  name   = "template-scoped"
  user   = "bob"
  policy = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"${aws_secretsmanager_secret.db.arn}\"}]}" # want ?IAM-001
}

resource "aws_iam_user_policy" "template_actions" {
  name   = "template-actions"
  user   = "bob"
  policy = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": ${jsonencode(var.actions)}, \"Resource\": \"*\"}]}" # want ?IAM-001
}

# The same template given to a module that attaches it: read where the
# module's policy takes it, so the administrator statement is judged, at
# the template, where it is written.
module "lambda" {
  source      = "./lambda"
  policy_json = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}, {\"Effect\": \"Allow\", \"Action\": \"secretsmanager:GetSecretValue\", \"Resource\": \"${aws_secretsmanager_secret.db.arn}\"}]}" # want IAM-001
}
