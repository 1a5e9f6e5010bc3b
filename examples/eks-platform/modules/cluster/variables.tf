variable "name" {
  type = string
}

variable "kubernetes_version" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

variable "security_group_id" {
  type = string
}

variable "cluster_role_arn" {
  type = string
}

variable "admin_role_arn" {
  type = string
}

variable "ci_role_arn" {
  type = string
}

variable "public_api" {
  type = bool
}

variable "public_api_cidrs" {
  type = list(string)
}

variable "log_types" {
  type    = list(string)
  default = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
}
