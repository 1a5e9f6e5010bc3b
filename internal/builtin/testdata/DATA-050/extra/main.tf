# Decisions DATA-050 makes beyond the twins (HCL only).

variable "db_password" {
  type      = string
  sensitive = true
}

# A SecureString parameter's value is a secret store value.
resource "aws_ssm_parameter" "secure" {
  name  = "/app/api/key"
  type  = "SecureString"
  value = "Np3xR7kQ2mZ9vT4w" # want DATA-050
}

# A String parameter named like a credential holds one too.
resource "aws_ssm_parameter" "named" {
  name  = "/app/db/password"
  type  = "String"
  value = "Bw8nK2pX5rT9mQ3z" # want DATA-050
}

# Neither a secret store value nor a credential name: not judged.
resource "aws_ssm_parameter" "host" {
  name  = "/app/db/host"
  type  = "String"
  value = "db.internal.example.com"
}

# An empty secret store value passes.
resource "aws_secretsmanager_secret_version" "empty" {
  secret_id     = "prod/app/later"
  secret_string = "" # want +DATA-050
}

# A placeholder is acceptable in a secret store, not as the password a
# database is created with.
resource "aws_db_instance" "placeholder" {
  engine         = "postgres"
  instance_class = "db.t4g.micro"
  username       = "app"
  password       = "changeme" # want DATA-050
}

# Write-only arguments are secrets too when written literally.
resource "aws_db_instance" "write_only" {
  engine              = "postgres"
  instance_class      = "db.t4g.micro"
  username            = "app"
  password_wo         = "Jm6tW2qP8xR4nV7c" # want DATA-050
  password_wo_version = 1
}

# An input with no value in the code: unknown.
resource "aws_lambda_function" "from_input" {
  function_name = "from-input"
  runtime       = "python3.12"
  handler       = "app.handler"
  environment {
    variables = {
      DB_PASSWORD = var.db_password # want ?DATA-050
      LOG_LEVEL   = "debug"
    }
  }
}

resource "helm_release" "redis" {
  name  = "redis"
  chart = "redis"
  set_sensitive {
    name  = "auth.password"
    value = "Yc5rM8wL2nQ7tK4p" # want DATA-050
  }
  set {
    name  = "auth.enabled"
    value = "true"
  }
}

resource "kubernetes_secret" "db" {
  metadata {
    name = "db"
  }
  data = {
    username = "app"
    password = "Gh2vN9kR4xT7mW3q" # want DATA-050
  }
}

resource "aws_cloudfront_distribution" "site" {
  enabled = true
  origin {
    domain_name = "api.example.com"
    origin_id   = "api"
    custom_header {
      name  = "X-Origin-Token"
      value = "Qz4pL8wN2rK6tM9x" # want DATA-050
    }
  }
}

# A plain (not base64) user data script writing an AWS credentials file.
locals {
  legacy_script = <<-SCRIPT
    #!/bin/bash
    cat > /root/.aws/credentials <<EOF
    [default]
    aws_secret_access_key = Zr8kP3xQ7mW2nV5tL9cB4hJ6dF1gS0aE3uY8iO2e
    EOF
  SCRIPT
}

resource "aws_launch_template" "legacy" {
  name      = "legacy"
  user_data = local.legacy_script # want DATA-050
  metadata_options {
    http_tokens = "required" # a setting, not a token
  }
  tags = {
    "ghp_K7mQ2xR9pL4tW8nZ3vB6cY1dF5hJ0sA2eU7iO4" = "true" # want DATA-050
  }
}

# Computed by the provider: unknown before apply, not judged.
resource "aws_iam_access_key" "ci" {
  user = "ci"
}

# Kubernetes objects are K8S-026's subject.
resource "kubernetes_manifest" "job" {
  manifest = {
    apiVersion = "batch/v1"
    kind       = "Job"
    metadata   = { name = "migrate", namespace = "app" }
    spec = {
      template = {
        spec = {
          containers = [{
            name  = "migrate"
            image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/migrate:1.0"
            env   = [{ name = "DB_PASSWORD", value = "Tk7wP2mX9rQ4nL6v" }]
          }]
          restartPolicy = "Never"
        }
      }
    }
  }
}

# A key/value entry named like a credential.
resource "aws_cloudwatch_event_connection" "partner" {
  name               = "partner"
  authorization_type = "API_KEY"
  auth_parameters {
    api_key {
      key   = "x-api-key"
      value = "Wd3nR8kT2pX6mQ9v" # want DATA-050
    }
  }
}

# Only a Cognito client's token_validity_units holds units: the same name
# elsewhere holds a token.
resource "aws_lambda_function" "oauth" {
  function_name = "oauth"
  runtime       = "python3.12"
  handler       = "app.handler"
  environment {
    variables = {
      refresh_token = "Wd3kR8mQ5xT2pN7v" # want DATA-050
    }
  }
}

# An ARN names a secret; it is never one.
resource "aws_lambda_function" "by_arn" {
  function_name = "by-arn"
  runtime       = "python3.12"
  handler       = "app.handler"
  environment {
    variables = {
      DB_CREDENTIALS = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf" # want +DATA-050
    }
  }
}
