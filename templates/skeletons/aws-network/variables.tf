variable "name" {
  description = "Name of the network, prefixed to every resource's Name tag."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.name))
    error_message = "name must be 3 to 40 lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "cidr_block" {
  description = "IPv4 range of the VPC, a /16 to a /24."
  type        = string
  default     = "${{ values.cidrBlock }}"

  validation {
    condition     = can(cidrnetmask(var.cidr_block)) && tonumber(split("/", var.cidr_block)[1]) >= 16 && tonumber(split("/", var.cidr_block)[1]) <= 24
    error_message = "cidr_block must be an IPv4 CIDR range from /16 to /24."
  }
}

variable "availability_zone_count" {
  description = "Availability zones spanned, each with a public and a private subnet."
  type        = number
  default     = ${{ values.azCount }}

  validation {
    condition     = var.availability_zone_count >= 2 && var.availability_zone_count <= 6
    error_message = "availability_zone_count must be between 2 and 6."
  }
}

variable "nat_gateway_per_zone" {
  description = "One NAT gateway per availability zone (resilient) instead of one for the network (cheaper)."
  type        = bool
  default     = ${{ values.natPerZone }}
}

variable "flow_log_retention_days" {
  description = "Days VPC flow logs are kept in CloudWatch Logs."
  type        = number
  default     = 365

  validation {
    condition     = contains([90, 180, 365, 400, 545, 731, 1827, 3653], var.flow_log_retention_days)
    error_message = "flow_log_retention_days must be one of 90, 180, 365, 400, 545, 731, 1827, 3653."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key that encrypts the flow logs."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/", var.kms_key_arn))
    error_message = "kms_key_arn must be the ARN of a KMS key (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "tags" {
  description = "Tags applied to every resource of the module."
  type        = map(string)
  default     = {}
}
