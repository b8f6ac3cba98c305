variable "bucket_name" {
  description = "Name of the bucket (globally unique, 3 to 63 lowercase letters, digits, dots and hyphens)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key that encrypts every object."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/", var.kms_key_arn))
    error_message = "kms_key_arn must be the ARN of a KMS key (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "access_log_bucket" {
  description = "Name of the bucket that receives this bucket's server access logs."
  type        = string

  validation {
    condition     = length(var.access_log_bucket) >= 3
    error_message = "access_log_bucket must name an existing bucket."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which old versions of objects are deleted."
  type        = number
  default     = ${{ values.noncurrentVersionDays }}

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1 && var.noncurrent_version_expiration_days <= 3650
    error_message = "noncurrent_version_expiration_days must be between 1 and 3650."
  }
}

variable "tags" {
  description = "Tags applied to every resource of the module."
  type        = map(string)
  default     = {}
}
