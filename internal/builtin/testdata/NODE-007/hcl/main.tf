resource "aws_eks_node_group" "al2023" {
  ami_type = "AL2023_x86_64_STANDARD" # want +NODE-007
}

variable "ami_type" {}

resource "aws_eks_node_group" "computed" {
  ami_type = var.ami_type # want ?NODE-007
}

data "aws_ami" "ubuntu" {
  most_recent = true
  filter {
    name   = "name"
    values = ["ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*"]
  }
}

data "aws_ssm_parameter" "eks" {
  name = "/aws/service/eks/optimized-ami/1.34/amazon-linux-2023/x86_64/standard/recommended/image_id"
}

resource "aws_launch_template" "ubuntu" {
  image_id = data.aws_ami.ubuntu.id # want NODE-007
}

resource "aws_launch_template" "ssm" {
  image_id = data.aws_ssm_parameter.eks.value # want +NODE-007
}

resource "aws_launch_configuration" "literal" {
  image_id = "ami-0123456789abcdef0" # want ?NODE-007
}

# An empty image_id is unset to the provider (terraform-aws-eks passes ""
# when no custom AMI is given): the node group's ami_type decides, and the
# launch template gets no verdict of its own.
variable "ami_id" {
  type     = string
  default  = ""
  nullable = false
}

resource "aws_launch_template" "module_default" {
  image_id = var.ami_id
}
