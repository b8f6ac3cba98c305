output "bucket_name" {
  description = "Name of the assets bucket."
  value       = aws_s3_bucket.this.id
}

output "bucket_regional_domain_name" {
  description = "Regional domain name, for a CDN origin."
  value       = aws_s3_bucket.this.bucket_regional_domain_name
}
