# Another environment of the same stack: copy to its own folder or workspace with its own backend
# key, then `terraform plan -var-file=examples/next-environment.tfvars`.
environment = "prod"
region      = "${{ values.region }}"
account_id  = "${{ values.accountId }}"
kms_key_arn = "${{ values.kmsKeyArn }}"
cidr_block  = "10.64.0.0/16"
