variable "bucket_name" {
  description = "Name of the bucket that serves static storefront assets (product images, fonts)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be a valid S3 bucket name."
  }
}

variable "public_read" {
  description = "Serve objects to anonymous readers. Only for assets that are public by nature."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags applied to every resource of the module."
  type        = map(string)
  default     = {}
}
