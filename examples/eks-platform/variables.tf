variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "org" {
  type = string
}

variable "env" {
  type = string
}

variable "vpc_cidr" {
  type    = string
  default = "10.40.0.0/16"
}

variable "azs" {
  type    = list(string)
  default = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
}

variable "kubernetes_version" {
  type    = string
  default = "1.31"
}

variable "node_groups" {
  type = map(object({
    instance_types = list(string)
    min_size       = number
    max_size       = number
    imdsv2         = bool
  }))
}

variable "public_api_cidrs" {
  type    = list(string)
  default = []
}

variable "admin_role_name" {
  type    = string
  default = "platform-admin"
}
