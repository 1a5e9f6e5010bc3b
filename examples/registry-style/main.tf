# A platform written the way the public registry modules are: object
# variables whose optional() attributes carry the defaults, passed through
# two module levels, for_each over a map of objects, count from optional
# booleans, and IAM documents built from dynamic statements. Every verdict
# follows from values Terraform knows at plan time.

module "platform" {
  source = "./modules/platform"

  name = "acme-prod"

  # Only what differs from the module's defaults is written.
  cluster = {
    version = "1.34"
  }

  # Empty: the module's optional() defaults encrypt secrets with a key of
  # its own.
  encryption_config = {}

  node_groups = {
    general = {
      instance_types = ["m7i.large"]
    }
    legacy = {
      # A node group that still allows IMDSv1 and reuses a role created
      # elsewhere: no role of its own is created (count = 0).
      metadata_options = {
        http_tokens = "optional"
      }
      create_iam_role = false
      iam_role_arn    = "arn:aws:iam::111122223333:role/legacy-nodes"
    }
  }

  tags = {
    Team = "platform"
  }
}
