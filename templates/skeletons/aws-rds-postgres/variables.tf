variable "identifier" {
  description = "Identifier of the database instance (1 to 63 lowercase letters, digits and hyphens, starting with a letter)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,62}$", var.identifier)) && !endswith(var.identifier, "-") && !strcontains(var.identifier, "--")
    error_message = "identifier must be 1 to 63 lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "engine_version" {
  description = "PostgreSQL major or major.minor version."
  type        = string
  default     = "${{ values.engineVersion }}"

  validation {
    condition     = can(regex("^1[4-7](\\.[0-9]+)?$", var.engine_version))
    error_message = "engine_version must be a supported PostgreSQL version, 14 to 17 (e.g. 16 or 16.4)."
  }
}

variable "instance_class" {
  description = "Instance class, e.g. db.t4g.medium or db.r6g.large."
  type        = string
  default     = "${{ values.instanceClass }}"

  validation {
    condition     = can(regex("^db\\.[a-z0-9]+\\.[a-z0-9]+$", var.instance_class))
    error_message = "instance_class must be an RDS instance class (db.<family>.<size>)."
  }
}

variable "allocated_storage_gb" {
  description = "Storage allocated at creation, in GiB; it grows up to max_allocated_storage_gb."
  type        = number
  default     = ${{ values.storageGb }}

  validation {
    condition     = var.allocated_storage_gb >= 20 && var.allocated_storage_gb <= 65536
    error_message = "allocated_storage_gb must be between 20 and 65536."
  }
}

variable "max_allocated_storage_gb" {
  description = "Upper limit of storage autoscaling, in GiB."
  type        = number
  default     = ${{ values.storageGb * 4 }}

  validation {
    condition     = var.max_allocated_storage_gb >= 20 && var.max_allocated_storage_gb <= 65536
    error_message = "max_allocated_storage_gb must be between 20 and 65536."
  }
}

variable "database_name" {
  description = "Name of the database created on the instance."
  type        = string
  default     = "app"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.database_name))
    error_message = "database_name must be 1 to 63 lowercase letters, digits and underscores, starting with a letter."
  }
}

variable "master_username" {
  description = "Name of the master user. Its password is generated and kept in Secrets Manager by RDS, never in Terraform state."
  type        = string
  default     = "dbadmin"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,15}$", var.master_username)) && !contains(["admin", "postgres", "rdsadmin"], var.master_username)
    error_message = "master_username must be 1 to 16 lowercase letters, digits and underscores, and not a reserved name."
  }
}

variable "vpc_id" {
  description = "VPC of the database."
  type        = string

  validation {
    condition     = startswith(var.vpc_id, "vpc-")
    error_message = "vpc_id must be a VPC id (vpc-...)."
  }
}

variable "subnet_ids" {
  description = "Private subnets of at least two availability zones."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2 && alltrue([for s in var.subnet_ids : startswith(s, "subnet-")])
    error_message = "subnet_ids must list at least two subnet ids (subnet-...)."
  }
}

variable "allowed_security_group_ids" {
  description = "Security groups whose members may connect on the PostgreSQL port. Nothing else may."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for s in var.allowed_security_group_ids : startswith(s, "sg-")])
    error_message = "allowed_security_group_ids must list security group ids (sg-...)."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key that encrypts storage, snapshots, Performance Insights and the master user's secret."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/", var.kms_key_arn))
    error_message = "kms_key_arn must be the ARN of a KMS key (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "backup_retention_days" {
  description = "Days automated backups are kept."
  type        = number
  default     = ${{ values.backupDays }}

  validation {
    condition     = var.backup_retention_days >= 7 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be between 7 and 35."
  }
}

variable "multi_az" {
  description = "Keep a standby in a second availability zone."
  type        = bool
  default     = ${{ values.multiAz }}
}

variable "tags" {
  description = "Tags applied to every resource of the module."
  type        = map(string)
  default     = {}
}
