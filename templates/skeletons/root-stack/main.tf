# ${{ values.description }}
#
# Tenant ${{ values.tenant }}, system ${{ values.system }}: the golden-path modules composed for one
# environment per set of variables (terraform.tfvars; examples/ for another). Generated from the
# Infra Hub golden path "Root stack".

locals {
  name = "${{ values.tenant }}-${var.environment}"
}

module "network" {
  source = "${{ values.networkSource }}"

  name                    = local.name
  cidr_block              = var.cidr_block
  availability_zone_count = var.environment == "prod" ? 3 : 2
  nat_gateway_per_zone    = var.environment == "prod"
  kms_key_arn             = var.kms_key_arn
}
{%- if values.withBucket %}

module "data_bucket" {
  source = "${{ values.bucketSource }}"

  bucket_name       = "${local.name}-${{ values.name }}-data"
  kms_key_arn       = var.kms_key_arn
  access_log_bucket = "${local.name}-access-logs"
}
{%- endif %}
{%- if values.withDatabase %}

module "database" {
  source = "${{ values.databaseSource }}"

  identifier  = "${local.name}-${{ values.name }}"
  vpc_id      = module.network.vpc_id
  subnet_ids  = module.network.private_subnet_ids
  kms_key_arn = var.kms_key_arn
  multi_az    = var.environment == "prod"
}
{%- endif %}
