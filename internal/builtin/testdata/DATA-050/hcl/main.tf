variable "api_token" {
  type      = string
  sensitive = true
}

variable "redis_token" {
  type      = string
  sensitive = true
}

resource "aws_secretsmanager_secret" "db_creds" {
  name        = "prod/app/db"
  description = "application database"
}

resource "aws_secretsmanager_secret_version" "db_creds" {
  secret_id = aws_secretsmanager_secret.db_creds.id
  secret_string = jsonencode({ # want DATA-050
    username = "app"
    password = "Hq6Tz2Wm9Rb4Kx7Pe"
  })
}

resource "aws_secretsmanager_secret_version" "placeholder" {
  secret_id     = aws_secretsmanager_secret.db_creds.id
  secret_string = "CHANGE_ME" # want +DATA-050
}

resource "aws_iam_access_key" "ci" {
  user = "ci"
}

resource "aws_secretsmanager_secret_version" "ci_key" {
  secret_id     = aws_secretsmanager_secret.db_creds.id
  secret_string = aws_iam_access_key.ci.secret # want +DATA-050
}

resource "aws_secretsmanager_secret_version" "api_token" {
  secret_id     = aws_secretsmanager_secret.db_creds.id
  secret_string = var.api_token # want ?DATA-050
}

resource "aws_db_instance" "app" {
  engine         = "postgres"
  instance_class = "db.t4g.medium"
  username       = "app"
  password       = "Vx7qLm2Rt9pWz4Kd" # want DATA-050
}

resource "aws_db_instance" "managed" {
  engine                      = "postgres"
  instance_class              = "db.t4g.medium"
  username                    = "app"
  manage_master_user_password = true # want +DATA-050
}

data "aws_secretsmanager_secret_version" "db" {
  secret_id = "prod/db"
}

resource "aws_rds_cluster" "resolved" {
  engine          = "aurora-postgresql"
  master_username = "app"
  master_password = jsondecode(data.aws_secretsmanager_secret_version.db.secret_string)["password"] # want +DATA-050
}

resource "aws_lambda_function" "api" {
  function_name = "api"
  runtime       = "python3.12"
  handler       = "app.handler"
  environment {
    variables = {
      DB_PASSWORD  = "Vx7qLm2Rt9pWz4Kd"                         # want DATA-050
      GITHUB_TOKEN = "ghp_R8mQ2vXk7LpT4nWz9HcY3bJf6DsA1eUo5GiK" # want DATA-050
      LOG_LEVEL    = "info"
    }
  }
}

resource "aws_ecs_task_definition" "worker" {
  family = "worker"
  container_definitions = jsonencode([{
    name  = "worker"
    image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/worker:2.1.0"
    environment = [
      { name = "AWS_ACCESS_KEY_ID", value = "AKIAQX7R2M9TLW4ZP6VN" },                         # want DATA-050
      { name = "AWS_SECRET_ACCESS_KEY", value = "k3Jv9QzX2pLm7RtW5nYb8HcF1dGs4AeUo6KiT0Vx" }, # want DATA-050
      { name = "PORT", value = "8080" },
    ]
  }])
}

locals {
  bastion_script = <<-SCRIPT
    #!/bin/bash
    cat > /home/ec2-user/.ssh/id_rsa <<'KEY'
    -----BEGIN RSA PRIVATE KEY-----
    MIIEpQIBAAKCAQEAz9Xk3Lq7Vt2Rm8Wp4Yn6Hb1Jc5Gd0FsQe
    Tr7Uy2Io9Pa3Sd6Fg4Hj8Kl1Zx5Cv0Bn7Mq2We4Rt6Yu8Io1P
    -----END RSA PRIVATE KEY-----
    KEY
  SCRIPT
}

resource "aws_instance" "bastion" {
  ami              = "ami-0123456789abcdef0"
  instance_type    = "t3.micro"
  user_data_base64 = base64encode(local.bastion_script) # want DATA-050
}

resource "aws_elasticache_replication_group" "cache" {
  description                = "sessions"
  node_type                  = "cache.t4g.small"
  transit_encryption_enabled = true
  auth_token                 = var.redis_token # want DATA-050
}

resource "aws_sqs_queue" "events" {
  name = "events"
  tags = {
    alerts = "xoxb-4817263950-8472615093-Qm3Zr8Kp2Vx7Lt9Nw4Hy6Bd1" # want DATA-050
    team   = "platform"
  }
}

resource "aws_sqs_queue" "clean" {
  name = "clean"
  tags = { team = "platform" }
}

resource "aws_codebuild_project" "build" {
  name = "build"
  environment {
    type         = "LINUX_CONTAINER"
    compute_type = "BUILD_GENERAL1_SMALL"
    image        = "aws/codebuild/standard:7.0"
    environment_variable {
      name  = "DB_PASSWORD"
      type  = "PLAINTEXT"
      value = "Lp9wQ3rZ7mK2xV8jNt" # want DATA-050
    }
    environment_variable {
      name  = "GITHUB_TOKEN"
      type  = "SECRETS_MANAGER"
      value = "ci/github-token"
    }
  }
}

# Names that say "token" or "credentials" but, by the provider's schema,
# hold a unit and a role ARN: not judged, so no verdict.
resource "aws_cognito_user_pool_client" "web" {
  name                   = "web"
  user_pool_id           = "eu-west-1_Ab12Cd34E"
  refresh_token_validity = 30
  token_validity_units {
    access_token  = "hours"
    id_token      = "hours"
    refresh_token = "days"
  }
}

resource "aws_api_gateway_integration" "queue" {
  rest_api_id             = "a1b2c3d4e5"
  resource_id             = "f6g7h8"
  http_method             = "POST"
  type                    = "AWS"
  integration_http_method = "POST"
  uri                     = "arn:aws:apigateway:eu-west-1:sqs:path/123456789012/events"
  credentials             = "arn:aws:iam::123456789012:role/apigw-sqs"
}

# Provider blocks are code too: the most common way an AWS key is
# committed.
provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIAUJZDE8GXD6NCF10E"                     # want DATA-050
  secret_key = "pfJBd0Kh8oOOL8dKLzdocJ2isAjIhKtJ0RlgLKOm" # want DATA-050
}

provider "aws" {
  alias  = "deploy"
  region = "eu-west-1"
  assume_role {
    role_arn = "arn:aws:iam::123456789012:role/deploy"
  }
}

data "aws_eks_cluster_auth" "this" {
  name = "prod"
}

provider "kubernetes" {
  host  = "https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com"
  token = data.aws_eks_cluster_auth.this.token # want +DATA-050
}

variable "github_token" {
  type = string
}

provider "github" {
  owner = "example"
  token = var.github_token # want ?DATA-050
}

# Names that only look like a credential's: the cluster a well-known tag
# names is called external-secrets (terraform-aws-eks' node security
# group; a key below that name is still read), and an EFS creation_token is the idempotency token of its
# creation, a name (terraform-aws-efs sets it to the file system's name).
resource "aws_security_group" "node" {
  name = "node"
  tags = {
    "kubernetes.io/cluster/external-secrets"  = "owned"
    "k8s.io/cluster-autoscaler/team-tokens"   = "owned"
    "kubernetes.io/cluster/apps/db-password" = "hunter2-literal" # want DATA-050
  }
}

resource "aws_efs_file_system" "shared" {
  creation_token = "stateful"
}
