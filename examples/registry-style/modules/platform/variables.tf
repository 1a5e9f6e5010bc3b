variable "create" {
  description = "Whether to create anything."
  type        = bool
  default     = true
}

variable "name" {
  type = string
}

variable "cluster" {
  description = "Cluster settings; every attribute has a default."
  type = object({
    version                = optional(string, "1.33")
    endpoint_public_access = optional(bool, false)
    public_access_cidrs    = optional(list(string), ["0.0.0.0/0"])
    enabled_log_types      = optional(list(string), ["audit", "api", "authenticator", "controllerManager", "scheduler"])
  })
  default  = {}
  nullable = false
}

variable "encryption_config" {
  description = "Envelope encryption; a key is created unless one is given."
  type = object({
    resources        = optional(list(string), ["secrets"])
    provider_key_arn = optional(string)
  })
  default  = {}
  nullable = false
}

variable "node_groups" {
  type = map(object({
    instance_types  = optional(list(string), ["m6i.large"])
    create_iam_role = optional(bool, true)
    iam_role_arn    = optional(string)
    metadata_options = optional(object({
      http_tokens                 = optional(string)
      http_put_response_hop_limit = optional(number)
    }), {})
  }))
  default = {}
}

variable "tags" {
  type    = map(string)
  default = {}
}
