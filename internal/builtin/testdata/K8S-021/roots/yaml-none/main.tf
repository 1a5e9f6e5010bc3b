# A root module whose cluster gets the manifests under manifests/ (applied
# by kubectl or a GitOps controller): they belong to this root.
provider "kubernetes" {}
