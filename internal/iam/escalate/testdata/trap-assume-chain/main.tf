# user dev -> role a -> role b -> role c, and only c is administrator.
resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_role" "a" {
  name = "a"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::*:user/dev" } }]
  })
}

resource "aws_iam_role" "b" {
  name = "b"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::*:role/a" } }]
  })
}

resource "aws_iam_role" "c" {
  name = "c"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::*:role/b" } }]
  })
}

resource "aws_iam_role_policy_attachment" "c" {
  role       = aws_iam_role.c.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
