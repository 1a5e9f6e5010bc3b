variable "name" {
  type = string
}

variable "admin_role_name" {
  type = string
}
