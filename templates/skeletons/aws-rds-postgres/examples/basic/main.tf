# The smallest use of the module: plan it with `terraform -chdir=examples/basic plan`.

provider "aws" {
  region = "${{ values.region }}"
}

module "database" {
  source = "../.."

  identifier                 = "${{ values.name }}-example"
  vpc_id                     = "vpc-0123456789abcdef0"
  subnet_ids                 = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
  allowed_security_group_ids = ["sg-0123456789abcdef0"]
  kms_key_arn                = "arn:aws:kms:${{ values.region }}:111122223333:key/00000000-0000-0000-0000-000000000000"

  tags = {
    Environment = "example"
  }
}

output "address" {
  value = module.database.address
}
