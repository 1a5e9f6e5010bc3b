# User dev may join group launchers, whose policy allows iam:PassRole and
# ec2:RunInstances: as a member it launches an instance with the admin role.

resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user_policy" "dev" {
  name   = "dev"
  user   = aws_iam_user.dev.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "iam:AddUserToGroup", Resource = "*" },
    ]
  })
}

resource "aws_iam_group" "launchers" {
  name = "launchers"
}

resource "aws_iam_group_policy" "launchers" {
  name   = "launchers"
  group  = aws_iam_group.launchers.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["iam:PassRole", "ec2:RunInstances"], Resource = "*" },
    ]
  })
}

resource "aws_iam_role" "admin" {
  name = "admin"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_instance_profile" "admin" {
  name = "admin"
  role = aws_iam_role.admin.name
}
