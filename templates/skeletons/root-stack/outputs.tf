output "vpc_id" {
  description = "Id of the stack's VPC."
  value       = module.network.vpc_id
}

output "private_subnet_ids" {
  description = "Private subnets of the stack."
  value       = module.network.private_subnet_ids
}
{%- if values.withBucket %}

output "data_bucket_arn" {
  description = "ARN of the stack's data bucket."
  value       = module.data_bucket.bucket_arn
}
{%- endif %}
{%- if values.withDatabase %}

output "database_address" {
  description = "Host name of the stack's database."
  value       = module.database.address
}

output "database_master_user_secret_arn" {
  description = "Secrets Manager secret holding the database's master password (kept by RDS)."
  value       = module.database.master_user_secret_arn
}
{%- endif %}
