# Trap: group iam-ops allows iam:*, but dev's own policy denies iam:Put* and
# iam:Attach* and iam:CreatePolicyVersion: joining the group gives it no way up.

resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user_policy" "dev" {
  name   = "dev"
  user   = aws_iam_user.dev.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "iam:AddUserToGroup", Resource = "arn:aws:iam::*:group/iam-ops" },
      { Effect = "Deny", Action = "iam:Put*", Resource = "*" },
      { Effect = "Deny", Action = "iam:Attach*", Resource = "*" },
      { Effect = "Deny", Action = "iam:CreatePolicyVersion", Resource = "*" },
      { Effect = "Deny", Action = "iam:UpdateAssumeRolePolicy", Resource = "*" },
      { Effect = "Deny", Action = "iam:CreateAccessKey", Resource = "*" },
      { Effect = "Deny", Action = "iam:*LoginProfile", Resource = "*" },
      { Effect = "Deny", Action = "iam:AddUserToGroup", Resource = "arn:aws:iam::*:group/other" },
    ]
  })
}

resource "aws_iam_group" "iam-ops" {
  name = "iam-ops"
}

resource "aws_iam_group_policy" "iam-ops" {
  name   = "iam-ops"
  group  = aws_iam_group.iam-ops.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "iam:*", Resource = "*" },
    ]
  })
}
