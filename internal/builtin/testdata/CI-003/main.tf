# CI principals: roles GitHub Actions can assume through OIDC, and roles a
# scanned workflow names in role-to-assume.

locals {
  github_oidc = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
}

# Apply role: may attach any policy to itself, a certain path.
resource "aws_iam_role" "gha_apply" {
  name = "gha-apply"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = local.github_oidc }
      Condition = { StringEquals = { "token.actions.githubusercontent.com:sub" = "repo:acme/platform:ref:refs/heads/main" } }
    }]
  })
}

resource "aws_iam_role_policy" "gha_apply" {
  name = "apply"
  role = aws_iam_role.gha_apply.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ # want CI-003
      Effect   = "Allow"
      Action   = ["iam:AttachRolePolicy", "eks:*", "ec2:Describe*"]
      Resource = "*"
    }]
  })
}

# Plan role: reads only. The provider is referenced, its ARN known after apply.
resource "aws_iam_openid_connect_provider" "github" {
  url             = "https://token.actions.githubusercontent.com"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["6938fd4d98bab03faadb97b34396831e3780aea1"]
}

resource "aws_iam_role" "gha_plan" { # want +CI-003
  name                = "gha-plan"
  managed_policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = aws_iam_openid_connect_provider.github.arn }
    }]
  })
}

# Release role: may rewrite its own policies only under a condition the
# code cannot decide (a tag on the request): a possible path.
resource "aws_iam_role" "gha_release" {
  name = "gha-release"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = local.github_oidc }
    }]
  })
}

resource "aws_iam_role_policy" "gha_release" {
  name = "release"
  role = aws_iam_role.gha_release.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ # want ?CI-003
      Effect    = "Allow"
      Action    = "iam:PutRolePolicy"
      Resource  = "*"
      Condition = { StringEquals = { "aws:RequestTag/team" = "release" } }
    }]
  })
}

# Deployer: trusts the account, and the workflow names it. Administrator.
resource "aws_iam_role" "deployer" {
  name = "deployer"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::111122223333:root" } }]
  })
}

resource "aws_iam_role_policy_attachment" "deployer" {
  role       = aws_iam_role.deployer.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess" # want CI-003
}

# Not a CI principal: no CI-003 verdict, whatever it can do.
resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "app" {
  name = "app"
  role = aws_iam_role.app.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:PutRolePolicy", Resource = "*" }]
  })
}
