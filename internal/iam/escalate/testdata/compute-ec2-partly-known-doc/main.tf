# Role launcher's policy is merged (source_policy_documents, through a
# module variable, as eks-blueprints-addons writes its Karpenter policy)
# from a document one of whose resources, a queue ARN, is known only after
# apply. The rest of the document is still read: launcher passes role admin
# to EC2, a certain path, and it is not taken for an administrator itself.
resource "aws_sqs_queue" "q" {
  name = "q"
}

data "aws_iam_policy_document" "launch" {
  statement {
    actions   = ["sqs:ReceiveMessage"]
    resources = [aws_sqs_queue.q.arn]
  }
  statement {
    actions   = ["iam:PassRole", "ec2:RunInstances"]
    resources = ["*"]
  }
}

module "launcher" {
  source = "./mod"
  docs   = data.aws_iam_policy_document.launch[*].json
}

resource "aws_iam_role" "admin" {
  name               = "admin"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }] })
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_instance_profile" "admin" {
  name = "admin"
  role = aws_iam_role.admin.name
}
