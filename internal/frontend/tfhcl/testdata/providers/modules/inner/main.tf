provider "aws" {
  alias  = "inner"
  region = "ap-south-1"
}

resource "aws_sqs_queue" "q" {
  name = "q"
}
