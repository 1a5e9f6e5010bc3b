variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "org" {
  type    = string
  default = "acme"
}

variable "env" {
  type    = string
  default = "prod"
}

# Lake zones, each a bucket with its own encryption setting.
variable "zones" {
  type = map(object({ sse = string }))
  default = {
    raw     = { sse = "aws:kms" }
    curated = { sse = "aws:kms" }
    exports = { sse = "AES256" } # partner tooling cannot read KMS-encrypted objects
  }
}

variable "ecr_repositories" {
  type = map(object({ immutable = bool, scan = bool }))
  default = {
    ingest    = { immutable = true, scan = true }
    transform = { immutable = true, scan = true }
    legacy-ui = { immutable = false, scan = false }
  }
}
