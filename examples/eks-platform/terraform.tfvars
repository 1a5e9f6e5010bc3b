org = "acme"
env = "prod"

node_groups = {
  general = {
    instance_types = ["m6i.large"]
    min_size       = 3
    max_size       = 9
    imdsv2         = true
  }
  batch = {
    instance_types = ["c6i.2xlarge"]
    min_size       = 0
    max_size       = 20
    imdsv2         = false
  }
}
