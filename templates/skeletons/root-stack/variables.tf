variable "environment" {
  description = "The environment this stack runs."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "region" {
  description = "AWS region of the stack."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name, e.g. eu-west-1."
  }
}

variable "account_id" {
  description = "The AWS account the stack may run in (a plan against any other fails)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be 12 digits."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key of the stack's data and logs."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/", var.kms_key_arn))
    error_message = "kms_key_arn must be the ARN of a KMS key (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "cidr_block" {
  description = "IPv4 range of the stack's network."
  type        = string

  validation {
    condition     = can(cidrnetmask(var.cidr_block))
    error_message = "cidr_block must be an IPv4 CIDR range."
  }
}
