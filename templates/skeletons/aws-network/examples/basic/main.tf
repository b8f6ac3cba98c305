# The smallest use of the module: plan it with `terraform -chdir=examples/basic plan`.

provider "aws" {
  region = "${{ values.region }}"
}

module "network" {
  source = "../.."

  name        = "${{ values.name }}-example"
  kms_key_arn = "arn:aws:kms:${{ values.region }}:111122223333:key/00000000-0000-0000-0000-000000000000"

  tags = {
    Environment = "example"
  }
}

output "private_subnet_ids" {
  value = module.network.private_subnet_ids
}
