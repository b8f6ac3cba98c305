variable "bucket_name" {
  description = "Name of the bucket."
  type        = string
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key that encrypts every object."
  type        = string

  validation {
    condition     = startswith(var.kms_key_arn, "arn:aws:kms:")
    error_message = "kms_key_arn must be the ARN of a KMS key."
  }
}

variable "access_log_bucket" {
  description = "Bucket that receives S3 server access logs for this bucket."
  type        = string
}

variable "tags" {
  description = "Tags applied to every resource of the module."
  type        = map(string)
  default     = {}
}
