resource "aws_secretsmanager_secret" "warehouse" {
  name       = "${var.org}/${var.env}/warehouse/admin"
  kms_key_id = aws_kms_key.secrets.arn
}

# The vendor API secret was created by hand and imported; it uses the AWS
# managed key, and its value was pasted in to "get it working".
resource "aws_secretsmanager_secret" "vendor_api" {
  name = "${var.org}/${var.env}/vendor/api"
}

resource "aws_secretsmanager_secret_version" "vendor_api" {
  secret_id     = aws_secretsmanager_secret.vendor_api.id
  secret_string = jsonencode({ api_key = "sk_live_4eC39HqLyjWDarjtT1zdp7dcM2xq" })
}

resource "aws_db_instance" "warehouse" {
  identifier                  = "${var.org}-${var.env}-warehouse"
  engine                      = "postgres"
  instance_class              = "db.r6g.large"
  allocated_storage           = 200
  username                    = "warehouse_admin"
  manage_master_user_password = true
  storage_encrypted           = true
  kms_key_id                  = aws_kms_key.lake.arn
}

resource "aws_lambda_function" "ingest" {
  function_name = "${var.org}-${var.env}-ingest"
  role          = "arn:aws:iam::111122223333:role/ingest"
  package_type  = "Image"
  image_uri     = "${aws_ecr_repository.this["ingest"].repository_url}:1.8.0"
  environment {
    variables = {
      LAKE_BUCKET = module.zone["raw"].name
      # left over from local testing
      AWS_ACCESS_KEY_ID = "AKIAQ3EGRKT7ZVXW5N2M"
    }
  }
}
