# Exceptions in every form, for the SARIF they give (suppressions[],
# baselineState) and its validation in .ci/sarif-validate.sh.

resource "aws_secretsmanager_secret_policy" "inline" {
  secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:inline"
  # eksguard:ignore DATA-011 reason="read by the vendor's account only, reviewed in SEC-7"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = "*", Action = "secretsmanager:GetSecretValue", Resource = "*" }]
  })
}

resource "aws_secretsmanager_secret_policy" "configured" {
  secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:configured"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = "*", Action = "secretsmanager:GetSecretValue", Resource = "*" }]
  })
}

resource "aws_secretsmanager_secret_policy" "known" {
  secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:known"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = "*", Action = "secretsmanager:GetSecretValue", Resource = "*" }]
  })
}
