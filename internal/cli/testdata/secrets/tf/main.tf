# Secrets planted for secrets_test.go: none of them may appear in any output.
variable "db_password" {
  type      = string
  sensitive = true
  default   = "Pl4nted-Sensitive-Var-9f2c"
}

resource "aws_db_instance" "app" {
  engine            = "postgres"
  instance_class    = "db.t4g.medium"
  username          = "app"
  password          = var.db_password
  storage_encrypted = true
}

resource "aws_lambda_function" "api" {
  function_name = "api"
  role          = "arn:aws:iam::123456789012:role/api"
  environment {
    variables = {
      STRIPE_KEY = "sk_live_PlantedStripeKey00000001"
      AWS_KEY    = "AKIAPLANTEDKEY000001"
    }
  }
}
