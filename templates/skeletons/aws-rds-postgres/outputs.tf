output "address" {
  description = "Host name of the instance."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "PostgreSQL port."
  value       = aws_db_instance.this.port
}

output "db_instance_arn" {
  description = "ARN of the instance."
  value       = aws_db_instance.this.arn
}

output "security_group_id" {
  description = "Security group of the instance (add clients through allowed_security_group_ids)."
  value       = aws_security_group.this.id
}

output "master_user_secret_arn" {
  description = "ARN of the Secrets Manager secret RDS keeps the master user's password in."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}
