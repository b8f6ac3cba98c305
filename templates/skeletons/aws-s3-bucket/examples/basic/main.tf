# The smallest use of the module: plan it with `terraform -chdir=examples/basic plan`.

provider "aws" {
  region = "${{ values.region }}"
}

module "bucket" {
  source = "../.."

  bucket_name       = "${{ values.name }}-example"
  kms_key_arn       = "arn:aws:kms:${{ values.region }}:111122223333:key/00000000-0000-0000-0000-000000000000"
  access_log_bucket = "${{ values.name }}-example-logs"

  tags = {
    Environment = "example"
  }
}

output "bucket_arn" {
  value = module.bucket.bucket_arn
}
