variable "cluster_name" {
  type = string
}

variable "name" {
  type = string
}

variable "instance_types" {
  type    = list(string)
  default = ["m6i.large"]
}

variable "create_iam_role" {
  type    = bool
  default = true
}

variable "iam_role_arn" {
  type    = string
  default = null
}

# The second level of defaults: what the caller leaves null is filled here,
# IMDSv2 only and a hop limit that keeps pods off the node's credentials.
variable "metadata_options" {
  type = object({
    http_endpoint               = optional(string, "enabled")
    http_tokens                 = optional(string, "required")
    http_put_response_hop_limit = optional(number, 1)
  })
  default  = {}
  nullable = false
}

variable "iam_role_additional_policies" {
  type    = map(string)
  default = {}
}

variable "tags" {
  type    = map(string)
  default = {}
}
